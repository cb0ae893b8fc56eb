package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

func TestBackupCommandSQLite(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "gns.db")
	gns := func(want int, args ...string) (string, string) {
		t.Helper()
		env, out, errs := testEnv(map[string]string{"GNS_DB": dsn})
		if code := run(context.Background(), env, args); code != want {
			t.Fatalf("gns %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out, errs)
		}
		return out.String(), errs.String()
	}
	gns(0, "demo")
	backup := filepath.Join(dir, "kopia.db")
	out, _ := gns(0, "backup", "--out", backup)
	for _, want := range []string{"backed up SQLite " + dsn + " to " + backup, "stop every gns serve", "replace " + dsn + " with a copy of " + backup,
		dsn + "-wal", "start gns serve again", "Keep " + dsn + ".key"} {
		if !strings.Contains(out, want) {
			t.Errorf("gns backup printed\n%s\nwithout %q", out, want)
		}
	}
	db, err := store.Open(context.Background(), backup)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Conn().CommitteeByCode(context.Background(), demo.CommitteeCode); err != nil {
		t.Errorf("the demo committee is not in the backup: %v", err)
	}

	// Refused: an existing file (exit 1, untouched), a database that is not
	// there (not created), no --out (exit 2).
	if _, errs := gns(1, "backup", "--out", backup); !strings.Contains(errs, "already exists") {
		t.Errorf("backup over an existing file: %q", errs)
	}
	missing := filepath.Join(dir, "saknas.db")
	if _, errs := gns(1, "backup", "--db", missing, "--out", filepath.Join(dir, "k2.db")); !strings.Contains(errs, "does not exist") {
		t.Errorf("backup of a missing database: %q", errs)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("backing up a missing database created it")
	}
	if _, errs := gns(2, "backup"); !strings.Contains(errs, "--out is required") {
		t.Errorf("backup without --out: %q", errs)
	}
}

func TestBackupCommandPostgres(t *testing.T) {
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pg_dump is not on PATH in CI")
		}
		t.Skip("pg_dump is not on PATH")
	}
	dsn := storetest.PostgresURL(t, true)
	dir := t.TempDir()
	backup := filepath.Join(dir, "gns.dump")
	env, out, errs := testEnv(map[string]string{"GNS_DB": dsn, "PATH": filepath.Dir(pgDump)})
	if code := run(context.Background(), env, []string{"backup", "--out", backup}); code != 0 {
		t.Fatalf("gns backup: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(out.String(), "pg_restore --clean") {
		t.Errorf("gns backup printed %q, without how to restore", out)
	}
	data, err := os.ReadFile(backup)
	if err != nil || !strings.HasPrefix(string(data), "PGDMP") {
		t.Fatalf("the dump starts %q, %v; want pg_dump's custom format", data[:min(len(data), 5)], err)
	}
	list, err := exec.Command(filepath.Join(filepath.Dir(pgDump), "pg_restore"), "--list", backup).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "TABLE public committees") || !strings.Contains(string(list), "goose_db_version") {
		t.Errorf("pg_restore --list: %v\n%s", err, list)
	}

	// Not overwritten; without pg_dump on PATH, an explanation.
	env, _, errs = testEnv(map[string]string{"GNS_DB": dsn, "PATH": filepath.Dir(pgDump)})
	if code := run(context.Background(), env, []string{"backup", "--out", backup}); code != 1 || !strings.Contains(errs.String(), "already exists") {
		t.Errorf("backup over the dump: exit %d, %q", code, errs)
	}
	other := filepath.Join(dir, "ingen.dump")
	env, _, errs = testEnv(map[string]string{"GNS_DB": dsn, "PATH": dir})
	if code := run(context.Background(), env, []string{"backup", "--out", other}); code != 1 || !strings.Contains(errs.String(), "pg_dump is not on PATH") || strings.Contains(errs.String(), "\n ") {
		t.Errorf("backup without pg_dump: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("a backup without pg_dump wrote a file")
	}
}
