package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/store"
)

// secretKey returns the key that seals two-factor secrets at rest: from
// GNS_SECRET_KEY (base64), else from the file GNS_SECRET_KEY_FILE names. With
// neither set, a SQLite installation keeps a key of its own in a file beside
// the database (made on first use, readable by the owner only), so that the
// out-of-the-box start needs no setup; a PostgreSQL installation must be given
// one.
func secretKey(env *environment, dsn string, out io.Writer) ([]byte, error) {
	if v := env.getenv("GNS_SECRET_KEY"); v != "" {
		k, err := auth.ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("GNS_SECRET_KEY: %w", err)
		}
		return k, nil
	}
	path := env.getenv("GNS_SECRET_KEY_FILE")
	if path == "" {
		loc, err := store.ParseDSN(dsn)
		if err != nil {
			return nil, err
		}
		if loc.Dialect != store.SQLite {
			return nil, errors.New("set GNS_SECRET_KEY (32 random bytes in base64, e.g. from: openssl rand -base64 32) or GNS_SECRET_KEY_FILE: it seals the two-factor secrets in the database")
		}
		path = loc.Path + ".key"
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && env.getenv("GNS_SECRET_KEY_FILE") == "" {
		key := auth.RandomBytes(auth.KeySize)
		if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("create secret key file %s: %w", path, err)
		}
		fmt.Fprintf(out, "created the secret key %s (keep it with the database: without it, two-factor login cannot be checked)\n", path)
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	k, err := auth.ParseKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("secret key file %s: %w", path, err)
	}
	return k, nil
}
