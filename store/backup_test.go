package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/store/storetest"
)

// TestBackupWhileWriting backs up a SQLite database while another goroutine
// keeps registering cases, each in a committed transaction. The backup opens
// as a database of its own, has every case committed before the backup
// began, passes SQLite's integrity check and has every migration.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	db := storetest.NewSQLite(t)
	f := newCaseFixture(t, db)
	for i := range 20 {
		f.register(t, fmt.Sprintf("Ärende %d före", i), "")
	}

	var (
		mu        sync.Mutex
		committed []int64
	)
	ctx, stop := context.WithCancel(context.Background())
	done, ready := make(chan error, 1), make(chan struct{})
	go func() {
		for i := 0; ctx.Err() == nil; i++ {
			k, err := f.tryRegister(f.gns, domain.Case{Title: fmt.Sprintf("Ärende %d under", i), RegisteredOn: f.today})
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			committed = append(committed, k.ID)
			mu.Unlock()
			if i == 29 {
				close(ready)
			}
		}
		done <- nil
	}()
	// Let the writer commit a good number of cases first, most of them still
	// in the write-ahead log.
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("writer: %v", err)
	}
	mu.Lock()
	before := append([]int64(nil), committed...)
	mu.Unlock()
	path := filepath.Join(t.TempDir(), "kopia.db")
	err := db.Backup(context.Background(), path)
	stop()
	if werr := <-done; werr != nil {
		t.Fatalf("writer: %v", werr)
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}

	backup, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	var check string
	if err := backup.SQL().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check of the backup = %q, %v", check, err)
	}
	for _, id := range before {
		if _, err := backup.Conn().CaseByID(f.ctx, id); err != nil {
			t.Errorf("case %d, committed before the backup, is missing from it: %v", id, err)
		}
	}
	var inBackup, total int
	backup.SQL().QueryRow("SELECT COUNT(*) FROM cases").Scan(&inBackup)
	db.SQL().QueryRow("SELECT COUNT(*) FROM cases").Scan(&total)
	if inBackup < 20+len(before) || inBackup > total {
		t.Errorf("the backup has %d cases; want at least %d (committed before it) and at most %d", inBackup, 20+len(before), total)
	}
	status, err := backup.MigrationStatus(context.Background())
	if err != nil || len(status) == 0 {
		t.Fatalf("migration status of the backup: %v, %v", status, err)
	}
	for _, s := range status {
		if !s.Applied {
			t.Errorf("the backup lacks migration %d (%s)", s.Version, s.Name)
		}
	}
	// The backup is a working database: a case can be registered in it.
	f.db = backup
	if k := f.register(t, "Ärende i kopian", ""); k.ID == 0 {
		t.Error("no case registered in the backup")
	}
}

// TestBackupRefusesToOverwrite: a file already at the path, even an empty
// one, is left as it is.
func TestBackupRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	db := storetest.NewSQLite(t)
	dir := t.TempDir()
	for name, content := range map[string]string{"tom.db": "", "gammal.db": "en tidigare kopia"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := db.Backup(context.Background(), path); !errors.Is(err, fs.ErrExist) {
			t.Errorf("backup over %s: %v, want fs.ErrExist", name, err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("%s was changed to %q", name, got)
		}
	}
	if err := db.Backup(context.Background(), filepath.Join(dir, "saknas", "kopia.db")); err == nil {
		t.Error("a backup into a missing folder was accepted")
	}
}

// TestBackupOnPostgres: GNS does not back up PostgreSQL itself.
func TestBackupOnPostgres(t *testing.T) {
	t.Parallel()
	db := storetest.NewPostgres(t)
	path := filepath.Join(t.TempDir(), "kopia.db")
	if err := db.Backup(context.Background(), path); !errors.Is(err, store.ErrBackupNotSQLite) {
		t.Errorf("Backup on PostgreSQL = %v, want ErrBackupNotSQLite", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("Backup on PostgreSQL wrote a file")
	}
}
