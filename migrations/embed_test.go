package migrations

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var migrationName = regexp.MustCompile(`^(\d{5})_[a-z0-9_]+\.sql$`)

// TestDialectsHaveSameVersions fails when a migration exists for one dialect but
// not the other, or when the two folders give a version different names.
func TestDialectsHaveSameVersions(t *testing.T) {
	t.Parallel()
	sqlite := names(t, SQLite())
	postgres := names(t, Postgres())
	if len(sqlite) == 0 {
		t.Fatal("no SQLite migrations embedded")
	}
	if strings.Join(sqlite, "\n") != strings.Join(postgres, "\n") {
		t.Errorf("migration folders differ:\nsqlite:   %v\npostgres: %v", sqlite, postgres)
	}
	for i, name := range sqlite {
		if want := i + 1; versionOf(name) != want {
			t.Errorf("migration %s: version %d, want %d (versions run 1, 2, 3 … without gaps)", name, versionOf(name), want)
		}
	}
}

func names(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !migrationName.MatchString(e.Name()) {
			t.Errorf("file %q is not named NNNNN_name.sql", e.Name())
			continue
		}
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func versionOf(name string) int {
	n := 0
	for _, r := range migrationName.FindStringSubmatch(name)[1] {
		n = n*10 + int(r-'0')
	}
	return n
}
