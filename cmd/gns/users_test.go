package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

func TestUserAndTokenCommands(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "gns.db")
	runOK := func(stdin string, args ...string) string {
		t.Helper()
		env, out, errs := testEnv(nil)
		env.stdin = strings.NewReader(stdin)
		if code := run(context.Background(), env, append(args, "--db", dsn)); code != 0 {
			t.Fatalf("gns %v: exit %d, %s", args, code, errs)
		}
		return out.String()
	}
	runOK("", "demo")

	out := runOK("", "user", "add", "--email", "Ida@Region.se", "--name", "Ida Lind", "--role", "admin")
	password := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(out)
	if password == nil || !strings.Contains(out, "Systemadministratör") {
		t.Fatalf("user add printed %q, want the role and a generated password", out)
	}
	runOK("Ett-eget-långt-lösenord\n", "user", "add", "--email", "b@region.se", "--name", "Bo Ek", "--role", "party", "--committee", "GNS", "--party", "bracke", "--password-stdin")

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, cred, err := db.Conn().UserForLogin(context.Background(), "ida@region.se")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.CheckPassword(cred.PasswordHash, password[1]); !ok {
		t.Error("the printed password does not log in")
	}
	_, cred, _ = db.Conn().UserForLogin(context.Background(), "b@region.se")
	if ok, _ := auth.CheckPassword(cred.PasswordHash, "Ett-eget-långt-lösenord"); !ok {
		t.Error("the password from standard input was not stored")
	}
	entries, _, _ := db.Conn().AuditEntries(context.Background(), domain.AuditFilter{Entity: "user"})
	if len(entries) == 0 || !strings.HasPrefix(entries[0].Actor, "kommandorad (") {
		t.Errorf("the audit trail does not name the command line: %+v", entries)
	}

	list := runOK("", "user", "list")
	for _, want := range []string{"ida@region.se", "Bo Ek", "Partsrepresentant (GNS, Bräcke kommun)", "admin@demo.gns.example"} {
		if !strings.Contains(strings.ToLower(list), strings.ToLower(want)) {
			t.Errorf("user list lacks %q:\n%s", want, list)
		}
	}
	token := strings.TrimSpace(runOK("", "token", "create", "--email", u.Email, "--name", "Export"))
	if tok, err := db.Conn().APITokenByHash(context.Background(), auth.HashToken(token)); err != nil || tok.Name != "Export" {
		t.Errorf("token create printed %q, stored %+v, %v", token, tok, err)
	}

	bad := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"unknown role", "", []string{"user", "add", "--email", "c@region.se", "--name", "C", "--role", "kung"}, "Okänd roll"},
		{"taken e-mail", "", []string{"user", "add", "--email", "IDA@region.se", "--name", "Ida", "--role", "auditor"}, "används redan"},
		{"party without party", "", []string{"user", "add", "--email", "c@region.se", "--name", "C", "--role", "party", "--committee", "GNS"}, "ange vilken"},
		{"unknown committee", "", []string{"user", "add", "--email", "c@region.se", "--name", "C", "--role", "economist", "--committee", "XYZ"}, "finns inte"},
		{"short password", "kort\n", []string{"user", "add", "--email", "c@region.se", "--name", "C", "--role", "auditor", "--password-stdin"}, "minst 12"},
		{"token for nobody", "", []string{"token", "create", "--email", "ingen@region.se"}, "finns inte"},
		{"bad expiry", "", []string{"token", "create", "--email", "ida@region.se", "--expires", "imorgon"}, "ÅÅÅÅ-MM-DD"},
	}
	for _, tt := range bad {
		env, out, errs := testEnv(nil)
		env.stdin = strings.NewReader(tt.stdin)
		code := run(context.Background(), env, append(tt.args, "--db", dsn))
		if code != 2 || !strings.Contains(errs.String(), tt.want) || out.String() != "" || strings.Count(errs.String(), "\n") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2, nothing, one line with %q", tt.name, code, out, errs, tt.want)
		}
	}
	if users, want := len(listUsers(t, db)), len(demo.Users)+len(demo.Voters)+2; users != want {
		t.Errorf("%d users after the bad calls, want %d (the demo users and voters + 2)", users, want)
	}
}

func TestServeOnPostgresNeedsASecretKey(t *testing.T) {
	t.Parallel()
	env, _, errs := testEnv(map[string]string{"GNS_DB": "postgres://127.0.0.1:1/x"})
	key, err := secretKey(env, "postgres://127.0.0.1:1/x", errs)
	if err == nil || key != nil || !strings.Contains(err.Error(), "GNS_SECRET_KEY") {
		t.Errorf("secretKey on PostgreSQL without a key = %v, %v; want an error naming GNS_SECRET_KEY", key, err)
	}
	env, _, errs = testEnv(map[string]string{"GNS_SECRET_KEY": "kort"})
	if _, err := secretKey(env, "gns.db", errs); err == nil {
		t.Error("a short GNS_SECRET_KEY was accepted")
	}
}

func listUsers(t *testing.T, db *store.DB) []domain.User {
	t.Helper()
	users, err := db.Conn().Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return users
}
