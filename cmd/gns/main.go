// Command gns runs GNS, the platform for Swedish joint municipal committees
// (gemensamma nämnder): the web server, migrations, demo data and tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/region-jh/gns/domain"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one gns subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

var commands = map[string]command{
	"allocate": {"split an amount between parties (JSON spec in, JSON result out)", runAllocate},
	"serve":    {"start the web server", runServe},
	"migrate":  {"bring the database schema up to date, or show its status", runMigrate},
	"demo":     {"load the demo committee into a database (safe to repeat)", runDemo},
	"version":  {"print the version of gns", runVersion},
	"user":     {"add or list users (gns user add|list)", runUser},
	"token":    {"create an API token for a user (gns token create)", runToken},
	"report":   {"write an interim report or a budget as PDF or XLSX (gns report interim|budget)", runReport},
	"import":   {"import actuals from the host's ledger, SIE 4 or CSV (gns import sie|csv), or the bank's payments, BgMax or camt.054 (gns import bgmax|camt054)", runImport},
	"backup":   {"write a consistent copy of the database to a new file, and say how to restore it", runBackup},
	"reindex":  {"rebuild the search index of the database", runReindex},
}

// environment is what a command sees of the world; tests replace it.
type environment struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// errUsage marks an error in how a command was called; it exits with status 2.
var errUsage = errors.New("usage")

func main() {
	domain.Version = version
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit status: 0 on success, 1
// when the command failed, 2 when it was called wrongly.
func run(ctx context.Context, env *environment, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "gns: unknown command %q (see gns --help)\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		if msg := strings.TrimPrefix(err.Error(), errUsage.Error()); strings.TrimPrefix(msg, ": ") != "" {
			fmt.Fprintf(env.stderr, "gns %s: %s\n", args[0], strings.TrimPrefix(msg, ": "))
		}
		return 2
	default:
		fmt.Fprintf(env.stderr, "gns %s: %s\n", args[0], oneLine(err.Error()))
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "gns: GNS, the platform for joint municipal committees (gemensamma nämnder)")
	fmt.Fprintln(w, "\nUsage: gns <command> [flags]   (gns <command> --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nEnvironment: GNS_DB (database), GNS_ADDR (listen address), GNS_LOG_FORMAT (text or json),\nGNS_SECRET_KEY or GNS_SECRET_KEY_FILE (the key that seals two-factor secrets).")
}

// flags returns a flag set for a subcommand that reports errors instead of
// exiting, with a usage text naming the command and what it does.
func flags(env *environment, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("gns "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: gns %s %s\n\n%s\n", name, synopsis, about)
		var has bool
		fs.VisitAll(func(*flag.Flag) { has = true })
		if has {
			fmt.Fprintln(env.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args, turning a flag error into a usage error (the flag package
// has already printed what was wrong).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// dbFlag adds --db, defaulting to GNS_DB and then to gns.db in the working
// folder.
func dbFlag(fs *flag.FlagSet, env *environment) *string {
	def := env.getenv("GNS_DB")
	if def == "" {
		def = "gns.db"
	}
	return fs.String("db", def, "database: a file path or sqlite:PATH for SQLite, a postgres:// URL for PostgreSQL (env GNS_DB)")
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
