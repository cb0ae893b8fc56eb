package main

import (
	"context"
	"fmt"
	"runtime"
)

func runVersion(ctx context.Context, env *environment, args []string) error {
	fs := flags(env, "version", "", "Prints the version of gns and of the Go it was built with.")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "gns %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
