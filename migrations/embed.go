// Package migrations holds the database schema as goose SQL migrations, one
// folder per SQL dialect. Both folders carry the same version numbers; a test
// fails when they drift apart.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql
var sqliteFS embed.FS

//go:embed postgres/*.sql
var postgresFS embed.FS

// SQLite returns the migrations for SQLite, rooted at the folder.
func SQLite() fs.FS { return mustSub(sqliteFS, "sqlite") }

// Postgres returns the migrations for PostgreSQL, rooted at the folder.
func Postgres() fs.FS { return mustSub(postgresFS, "postgres") }

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the folder is embedded at build time; this cannot fail
	}
	return sub
}
