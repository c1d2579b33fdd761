package cli

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes, documented in the README.
const (
	ExitOK          = 0   // everything succeeded
	ExitFailed      = 1   // some documents failed (or, for eval, a regression)
	ExitUsage       = 2   // bad flag, bad configuration, unreadable input
	ExitInterrupted = 130 // Ctrl-C / SIGTERM
)

// exitError carries an exit code and a one-line message for the user.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a usage or configuration error: exit code 2.
func usageErrorf(format string, a ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, a...)}
}

// usageError wraps err as a usage or configuration error: exit code 2.
func usageError(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitUsage, err: err}
}

// errSomeFailed reports that some documents failed; their error records are
// already in the output, so the message is only a summary.
func errSomeFailed(n, total int) error {
	return &exitError{code: ExitFailed, err: fmt.Errorf("%d of %d documents failed; see the error records in the output", n, total)}
}

// exitCodeFor maps an error to the process exit code: the one place that
// does.
func exitCodeFor(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	return ExitFailed
}
