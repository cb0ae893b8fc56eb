package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/region-jh/gns/app"
	"github.com/region-jh/gns/auth"
	"github.com/region-jh/gns/demo/idp"
	"github.com/region-jh/gns/mail"
	"github.com/region-jh/gns/outbox"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/web"
)

// startDemoIdP runs the demo's local identity provider and registers it in
// GNS for the demo users' domain.
func startDemoIdP(ctx context.Context, db *store.DB, key []byte, out io.Writer) (stop func(), err error) {
	sealer, err := auth.NewSealer(key)
	if err != nil {
		return nil, err
	}
	p, err := idp.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	if err := p.Register(ctx, db, sealer); err != nil {
		_ = p.Stop() // registering failed; the provider has served no one
		return nil, err
	}
	fmt.Fprintf(out, "Demo identity provider at %s: on the login page choose \"Logga in med %s\" (or type a demo user's address under \"Logga in via din organisation\")\n", p.Issuer(), idp.ProviderName)
	fmt.Fprintf(out, "  registered under Användare → Inloggningstjänster with client id %s and secret %s\n", idp.ClientID, idp.ClientSecret)
	return func() { _ = p.Stop() }, nil // stopping at exit; nothing to do if it fails
}

func runServe(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "serve", "[flags]",
		"Starts the web server. The database schema is brought up to date first.")
	dsn := dbFlag(fs, env)
	defAddr := env.getenv("GNS_ADDR")
	if defAddr == "" {
		defAddr = "localhost:8080"
	}
	addr := fs.String("addr", defAddr, "address to listen on, host:port (env GNS_ADDR)")
	withDemo := fs.Bool("demo", false, "load the demo committee if the database does not have it")
	withDemoOIDC := fs.Bool("demo-oidc", false, "with --demo: run a local OpenID Connect provider on this machine and register it, so the demo users can try single sign-on")
	defFormat := env.getenv("GNS_LOG_FORMAT")
	if defFormat == "" {
		defFormat = "text"
	}
	logFormat := fs.String("log-format", defFormat, "log format: text or json (env GNS_LOG_FORMAT)")
	defMax := web.DefaultMaxConcurrent()
	if v := env.getenv("GNS_MAX_CONCURRENT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("%w: GNS_MAX_CONCURRENT=%q is not a whole number of at least 1", errUsage, v)
		}
		defMax = n
	}
	maxConcurrent := fs.Int("max-concurrent", defMax, "page loads worked on at once; the rest wait their turn (env GNS_MAX_CONCURRENT)")
	trustedProxies := fs.String("trusted-proxies", env.getenv("GNS_TRUSTED_PROXIES"),
		"reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: IP addresses or CIDR ranges, comma-separated; none when empty (env GNS_TRUSTED_PROXIES)")
	baseURL := fs.String("base-url", env.getenv("GNS_BASE_URL"),
		"the address at which people reach GNS, e.g. https://gns.example.se, from which links in calendar feeds are built (never from the request's Host header); required on PostgreSQL and when --addr is not on this machine only, otherwise the listen address (env GNS_BASE_URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *maxConcurrent < 1 {
		return fmt.Errorf("%w: --max-concurrent must be at least 1", errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	if *withDemoOIDC && !*withDemo {
		return fmt.Errorf("%w: --demo-oidc needs --demo", errUsage)
	}
	proxies, err := web.ParseTrustedProxies(*trustedProxies)
	if err != nil {
		return fmt.Errorf("%w: --trusted-proxies (GNS_TRUSTED_PROXIES): %v", errUsage, err)
	}
	base, err := serveBaseURL(*baseURL, *dsn, *addr)
	if err != nil {
		return err
	}
	smtp, err := mailConfig(env)
	if err != nil {
		return err
	}
	logger, err := newLogger(*logFormat, env.stderr)
	if err != nil {
		return err
	}

	db, err := openMigrated(ctx, *dsn, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	key, err := secretKey(env, *dsn, env.stdout)
	if err != nil {
		return err
	}
	if *withDemo {
		if err := loadDemo(ctx, db, env.stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, errors.Unwrap(err))
	}
	if base == "" {
		base = browseURL(ln.Addr())
	}
	srv, err := web.New(web.Config{DB: db, Logger: logger, Version: version, SecretKey: key, MaxConcurrent: *maxConcurrent, TrustedProxies: proxies, BaseURL: base})
	if err != nil {
		_ = ln.Close() // nothing was served on it; the server's error is the one to report
		return err
	}
	fmt.Fprintf(env.stdout, "GNS %s listening on %s (database: %s)\n", version, browseURL(ln.Addr()), db)
	fmt.Fprintf(env.stdout, "Links in calendar feeds and mail point to %s\n", base)
	var sender outbox.Sender
	if smtp != nil {
		sender = mail.NewSender(*smtp)
	}
	q, err := outbox.New(db, sender, outbox.Options{Logger: logger, Jobs: app.Jobs(base)})
	if err != nil {
		_ = ln.Close() // nothing was served on it
		return err
	}
	if err := q.Start(ctx); err != nil {
		_ = ln.Close() // nothing was served on it
		return fmt.Errorf("start the job queue: %w", err)
	}
	defer stopQueue(q, logger)
	if smtp == nil {
		fmt.Fprintln(env.stdout, "No SMTP server (GNS_SMTP_URL): mails are kept under Utskick and not sent")
	} else {
		fmt.Fprintf(env.stdout, "Mail is sent through %s from %s\n", smtp, smtp.From)
	}
	if len(proxies) > 0 {
		fmt.Fprintf(env.stdout, "Believing X-Forwarded-For and X-Forwarded-Proto from %s\n", *trustedProxies)
	}
	if err := printLoginHelp(ctx, db, env.stdout); err != nil {
		return err
	}
	if *withDemoOIDC {
		stop, err := startDemoIdP(ctx, db, key, env.stdout)
		if err != nil {
			_ = ln.Close() // nothing was served on it
			return err
		}
		defer stop()
	}
	fmt.Fprintln(env.stdout, "Stop with Ctrl+C.")
	return serve(ctx, ln, srv.Handler(), logger)
}

// serve runs the HTTP server until ctx ends, then lets requests in flight
// finish (up to 20 seconds) before returning.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: waiting for requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// serveBaseURL checks the base URL setting. Given, it must be an absolute
// http or https URL with no path, query or fragment. Not given, it is
// required in production, which here means a PostgreSQL database (the
// shared database of the instances behind a load balancer) or a listen
// address beyond this machine (anyone who reaches the server could choose
// the Host header); otherwise it is "" and the listen address serves.
func serveBaseURL(given, dsn, addr string) (string, error) {
	if given != "" {
		base, err := web.ParseBaseURL(given)
		if err != nil {
			return "", fmt.Errorf("%w: --base-url (GNS_BASE_URL): %v", errUsage, err)
		}
		return base, nil
	}
	why := ""
	if loc, err := store.ParseDSN(dsn); err == nil && loc.Dialect == store.Postgres {
		why = "the database is PostgreSQL"
	} else if !loopbackAddr(addr) {
		why = fmt.Sprintf("--addr %s is reachable from other machines", addr)
	}
	if why != "" {
		return "", fmt.Errorf("%w: set --base-url or GNS_BASE_URL to the address people use to reach GNS (e.g. https://gns.example.se): it is required when %s, since links in calendar feeds are built from it and never from the request's Host header", errUsage, why)
	}
	return "", nil
}

// loopbackAddr reports whether a listen address is on this machine only
// (localhost, 127.0.0.1, ::1). An address that does not parse counts as
// local, so that listening reports what is wrong with it.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// browseURL turns a listening address into a URL a person can open.
func browseURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() || tcp.IP.IsLoopback() {
		port := 0
		if ok {
			port = tcp.Port
		}
		return fmt.Sprintf("http://localhost:%d", port)
	}
	return "http://" + a.String()
}

func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("%w: --log-format must be text or json, not %q", errUsage, format)
}

// mailConfig reads GNS_SMTP_URL and GNS_MAIL_FROM: nil when no SMTP server
// is set (mails are then kept, not sent); an error naming what is wrong
// when the URL is malformed or the sender is missing.
func mailConfig(env *environment) (*mail.Config, error) {
	raw := env.getenv("GNS_SMTP_URL")
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	cfg, err := mail.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if cfg.From, err = mail.ParseFrom(env.getenv("GNS_MAIL_FROM")); err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return &cfg, nil
}

// stopQueue lets the mails being sent and the jobs running finish, at most
// 20 seconds; the rest stay in the queue for the next start.
func stopQueue(q *outbox.Queue, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		logger.Warn("mail queue stopped with an error", "err", err)
	}
}
