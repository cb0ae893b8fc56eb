package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/region-jh/gns/store"
)

func runBackup(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "backup", "--out FILE [--db D]",
		"Writes a consistent copy of the database to FILE, a new file, while gns serve may keep\nrunning. SQLite: a copy of the live database (VACUUM INTO), including what is still in\nthe write-ahead log. PostgreSQL: runs pg_dump (custom format) when it is on PATH, or\nsays how to. Prints how to restore. The secret key (<database>.key, GNS_SECRET_KEY or\nGNS_SECRET_KEY_FILE) is not in the backup: keep it safe, apart from the backups.")
	dsn := dbFlag(fs, env)
	out := fs.String("out", "", "the backup file to write; it must not exist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	if *out == "" {
		return fmt.Errorf("%w: --out is required", errUsage)
	}
	loc, err := store.ParseDSN(*dsn)
	if err != nil {
		return fmt.Errorf("%w: %s", errUsage, err)
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s already exists: give a new file name (a backup never overwrites)", *out)
	}
	if loc.Dialect == store.Postgres {
		return backupPostgres(ctx, env, loc, *out)
	}
	// Opening a missing file would create an empty database: back up only
	// one that is there.
	if info, err := os.Stat(loc.Path); err != nil || !info.Mode().IsRegular() {
		return fmt.Errorf("SQLite database %s does not exist", loc.Path)
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	key := loc.Path + ".key"
	switch {
	case env.getenv("GNS_SECRET_KEY") != "":
		key = "the GNS_SECRET_KEY in use"
	case env.getenv("GNS_SECRET_KEY_FILE") != "":
		key = env.getenv("GNS_SECRET_KEY_FILE")
	}
	fmt.Fprintf(env.stdout, "backed up %s to %s (%d bytes)\n", db, *out, info.Size())
	fmt.Fprintf(env.stdout, `To restore:
  1. stop every gns serve that uses %[1]s;
  2. replace %[1]s with a copy of %[2]s, and delete %[1]s-wal and %[1]s-shm if they are there;
  3. start gns serve again.
Keep %[3]s: it seals the two-factor secrets and is not in the backup. Store it safely,
apart from the backups; without it no one can log in with two factors.
`, loc.Path, *out, key)
	return nil
}

// backupPostgres runs pg_dump when it is on PATH, writing the custom format
// (for pg_restore) to a new file at out, or explains how to back up.
func backupPostgres(ctx context.Context, env *environment, loc store.Location, out string) error {
	pgDump := findOnPath(env.getenv("PATH"), "pg_dump")
	if pgDump == "" {
		return fmt.Errorf("GNS does not copy a PostgreSQL database itself, and pg_dump is not on PATH: install PostgreSQL's client tools (e.g. apt-get install postgresql-client, the same major version as the server) and run gns backup again, or run: pg_dump --format=custom --file %s '%s'", out, redacted(loc))
	}
	u, err := url.Parse(loc.URL)
	if err != nil {
		return fmt.Errorf("database URL is not valid")
	}
	// The password goes to pg_dump in its environment, not on its command
	// line, where every user of the machine could read it.
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-password")
	cmd.Env = os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			cmd.Env = append(cmd.Env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	cmd.Args = append(cmd.Args, "--dbname", u.String())
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: give a new file name (a backup never overwrites)", out)
		}
		return fmt.Errorf("backup: %w", err)
	}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = f, &stderr
	runErr := cmd.Run()
	syncErr := f.Sync()
	closeErr := f.Close()
	if err := errors.Join(runErr, syncErr, closeErr); err != nil {
		_ = os.Remove(out) // a partial dump must not pass for a backup
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("pg_dump failed: %s", msg)
		}
		return fmt.Errorf("pg_dump failed: %w", err)
	}
	info, err := os.Stat(out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(env.stdout, "backed up %s to %s with pg_dump (%d bytes, custom format)\n", loc, out, info.Size())
	fmt.Fprintf(env.stdout, `To restore:
  1. stop every gns serve that uses the database;
  2. pg_restore --clean --if-exists --no-owner --dbname '%s' %s
     (or into a new, empty database made with createdb, and point GNS_DB at it);
  3. start gns serve again.
Keep the GNS_SECRET_KEY in use: it seals the two-factor secrets and is not in the backup.
`, redacted(loc), out)
	return nil
}

// redacted is the location's URL without its password.
func redacted(loc store.Location) string {
	return strings.TrimPrefix(loc.String(), "PostgreSQL ")
}

// findOnPath returns the path of an executable named name in the folders of
// path (a PATH value), or "".
func findOnPath(path, name string) string {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}
