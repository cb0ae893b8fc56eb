package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo"
	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
)

// cliActor is who the audit trail names for a change made from the command
// line: the operating-system user running gns.
func cliActor(ctx context.Context) context.Context {
	name := "okänd"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return domain.WithActor(ctx, domain.Actor{Label: "kommandorad (" + name + ")"})
}

// printLoginHelp tells, at start, how to log in: the demo users while they
// exist, or how to create the first admin when there are no users.
func printLoginHelp(ctx context.Context, db *store.DB, out io.Writer) error {
	users, err := db.Conn().Users(ctx)
	if err != nil {
		return err
	}
	demoActive, err := db.Conn().DemoUsersActive(ctx)
	if err != nil {
		return err
	}
	switch {
	case demoActive:
		fmt.Fprintf(out, "Log in at /logga-in as one of the demo users, password %s:\n", demo.Password)
		for _, u := range append(demo.Users, demo.Voters...) {
			fmt.Fprintf(out, "  %-33s %s\n", u.Email, u.Role.Label())
		}
	case len(users) == 0:
		fmt.Fprintln(out, "There are no users yet. Create the first admin with:")
		fmt.Fprintln(out, "  gns user add --email you@example.org --name \"Your Name\" --role admin")
	default:
		fmt.Fprintln(out, "Log in at /logga-in.")
	}
	return nil
}

func runUser(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.stderr, "Usage: gns user add|list [flags]   (gns user add --help)")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, env, args[1:])
	case "list":
		return runUserList(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown action %q: use add or list", errUsage, args[0])
}

func runUserAdd(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "user add", "--email E --name N --role R [--committee CODE] [--party SLUG] [--password-stdin]",
		"Creates a user with one role. Roles: admin and auditor (all committees), secretariat,\neconomist and member (one committee: --committee), party (one party of one committee:\n--committee and --party). The password is read from standard input with\n--password-stdin, otherwise generated and printed once.")
	dsn := dbFlag(fs, env)
	email := fs.String("email", "", "e-mail address (unique)")
	name := fs.String("name", "", "the person's name")
	role := fs.String("role", "", "admin, secretariat, economist, party, member or auditor")
	committee := fs.String("committee", "", "committee code, e.g. GNS")
	party := fs.String("party", "", "party slug, e.g. bracke (for --role party)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	r, err := domain.ParseRole(*role)
	if err != nil {
		return fmt.Errorf("%w: --role: %s", errUsage, domain.ErrorMessage(err))
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("%w: --password-stdin: no password on standard input", errUsage)
		}
		password = strings.TrimRight(line, "\r\n")
		if err := domain.CheckPassword(password, *name, *email); err != nil {
			return fmt.Errorf("%w: %s", errUsage, domain.ErrorMessage(err))
		}
	} else {
		password, generated = auth.NewPassword(), true
	}
	db, err := openMigrated(ctx, *dsn, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx)
	var created domain.User
	err = db.InTx(ctx, func(c *store.Conn) error {
		g := domain.RoleGrant{Role: r}
		if *committee != "" {
			cm, err := c.CommitteeByCode(ctx, *committee)
			if err != nil {
				return err
			}
			g.CommitteeID = cm.ID
		}
		if *party != "" {
			p, err := c.PartyBySlug(ctx, *party)
			if err != nil {
				return err
			}
			g.PartyID = p.ID
		}
		created, err = c.CreateUser(ctx, domain.User{Email: *email, Name: *name, Roles: []domain.RoleGrant{g}}, auth.HashPassword(password))
		return err
	})
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(env.stdout, "created user %d %s (%s), %s\n", created.ID, created.Email, created.Name, created.Roles[0])
	if generated {
		fmt.Fprintf(env.stdout, "password: %s\n(shown once; the user changes it under Mitt konto)\n", password)
	}
	return nil
}

// userError makes a domain error about the input a usage error (exit 2) with
// its Swedish message; other errors stay failures.
func userError(err error) error {
	if code := domain.ErrorCode(err); code == domain.EINVALID || code == domain.ECONFLICT || code == domain.ENOTFOUND {
		return fmt.Errorf("%w: %s", errUsage, domain.ErrorMessage(err))
	}
	return err
}

func runUserList(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "user list", "[--db D]", "Lists every user with roles, two-factor status and whether the account is active.")
	dsn := dbFlag(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openMigrated(ctx, *dsn, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.Conn().Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tE-POST\tNAMN\tROLLER\tTVÅSTEG\tSTATUS")
	for _, u := range users {
		roles := make([]string, len(u.Roles))
		for i, g := range u.Roles {
			roles[i] = g.String()
		}
		status := "aktiv"
		if u.Disabled() {
			status = "inaktiverad"
		}
		twoFactor := "nej"
		if u.TOTPEnabled {
			twoFactor = "ja"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, strings.Join(roles, "; "), twoFactor, status)
	}
	return tw.Flush()
}

func runToken(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.stderr, "Usage: gns token create --email E [--name N] [--expires YYYY-MM-DD]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return errUsage
	}
	fs := flags(env, "token create", "--email E [--name N] [--expires YYYY-MM-DD]",
		"Creates an API token for a user and prints it once. The token carries the user's\nroles; send it as \"Authorization: Bearer <token>\".")
	dsn := dbFlag(fs, env)
	email := fs.String("email", "", "the user's e-mail address")
	name := fs.String("name", "kommandorad", "what the token is for")
	expires := fs.String("expires", "", "last day the token is valid (default: no end)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var until time.Time
	if *expires != "" {
		d, err := domain.ParseDate(*expires)
		if err != nil {
			return fmt.Errorf("%w: --expires: %s", errUsage, err)
		}
		until = d.Time().AddDate(0, 0, 1)
	}
	db, err := openMigrated(ctx, *dsn, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx)
	token, hash := auth.NewToken("gns_")
	err = db.InTx(ctx, func(c *store.Conn) error {
		u, _, err := c.UserForLogin(ctx, *email)
		if err != nil {
			return err
		}
		if u.Disabled() {
			return domain.Errorf(domain.ECONFLICT, "Användaren %s är inaktiverad.", u.Email)
		}
		_, err = c.CreateAPIToken(ctx, domain.APIToken{UserID: u.ID, Name: *name, ExpiresAt: until}, hash)
		return err
	})
	if err != nil {
		return userError(err)
	}
	fmt.Fprintln(env.stdout, token)
	return nil
}
