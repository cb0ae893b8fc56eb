package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrBackupNotSQLite is the error of Backup on a PostgreSQL database, which
// is backed up with PostgreSQL's own tools (pg_dump).
var ErrBackupNotSQLite = errors.New("backup: only a SQLite database is backed up by GNS itself; use pg_dump for PostgreSQL")

// Backup writes a consistent copy of the live SQLite database to a new file
// at path, with VACUUM INTO: one read transaction, so the copy holds every
// transaction committed before it began, including those still in the
// write-ahead log (a plain copy of the .db file misses them), and none
// half-done. The server may keep running and writing meanwhile. Backup
// refuses to overwrite anything at path (fs.ErrExist) and needs its folder
// to exist. The copy is synced to disk before Backup returns.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.dialect != SQLite {
		return ErrBackupNotSQLite
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; give a new file name: %w", path, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("backup: folder %s does not exist", dir)
	}
	// VACUUM INTO itself also refuses a file that is not empty, should one
	// appear between the check above and the copy.
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("backup: open the copy to sync it: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close() // the failed sync is the error to report
		return fmt.Errorf("backup: sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: close %s: %w", path, err)
	}
	return nil
}
