package main

import (
	"os"
	"testing"

	"github.com/region-jh/gns/auth"
)

// TestMain makes password hashes cheap for every test of the package, once,
// before any runs: parallel tests must not set auth.Params themselves (a race).
func TestMain(m *testing.M) {
	auth.Params = auth.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}
