package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/region-jh/gns/web"
)

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
	if err := parse(fs, args); err != nil {
		return err
	}
	if *maxConcurrent < 1 {
		return fmt.Errorf("%w: --max-concurrent must be at least 1", errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments: %v", errUsage, fs.Args())
	}
	proxies, err := web.ParseTrustedProxies(*trustedProxies)
	if err != nil {
		return fmt.Errorf("%w: --trusted-proxies (GNS_TRUSTED_PROXIES): %v", errUsage, err)
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
	srv, err := web.New(web.Config{DB: db, Logger: logger, Version: version, SecretKey: key, MaxConcurrent: *maxConcurrent, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, errors.Unwrap(err))
	}
	fmt.Fprintf(env.stdout, "GNS %s listening on %s (database: %s)\n", version, browseURL(ln.Addr()), db)
	if len(proxies) > 0 {
		fmt.Fprintf(env.stdout, "Believing X-Forwarded-For and X-Forwarded-Proto from %s\n", *trustedProxies)
	}
	if err := printLoginHelp(ctx, db, env.stdout); err != nil {
		return err
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
