package setlearn

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ErrUsage marks a bad command line; the programs exit with status 2 on it
// after printing the message.
var ErrUsage = errors.New("usage")

// Parse parses args with fs, which must use flag.ContinueOnError, and
// refuses positional arguments. Errors wrap ErrUsage; -h gives
// flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, fs.Arg(0))
	}
	return nil
}

// Checks collects flag checks and reports the first failure.
type Checks struct{ err error }

// Positive requires v ≥ 1 for the flag name.
func (c *Checks) Positive(name string, v int) {
	if c.err == nil && v < 1 {
		c.err = fmt.Errorf("%w: -%s must be at least 1, got %d", ErrUsage, name, v)
	}
}

// PositiveFloat requires v > 0 (and finite) for the flag name.
func (c *Checks) PositiveFloat(name string, v float64) {
	if c.err == nil && !(v > 0 && v < 1e300) {
		c.err = fmt.Errorf("%w: -%s must be a positive number, got %v", ErrUsage, name, v)
	}
}

// Range requires lo ≤ v ≤ hi for the flag name.
func (c *Checks) Range(name string, v, lo, hi float64) {
	if c.err == nil && !(v >= lo && v <= hi) {
		c.err = fmt.Errorf("%w: -%s must be in [%v, %v], got %v", ErrUsage, name, lo, hi, v)
	}
}

// Require adds a failure with the given message when ok is false.
func (c *Checks) Require(ok bool, format string, args ...any) {
	if c.err == nil && !ok {
		c.err = fmt.Errorf("%w: "+format, append([]any{ErrUsage}, args...)...)
	}
}

// Err returns the first failure, or nil.
func (c *Checks) Err() error { return c.err }

// Exit maps the error of a program's run function to an exit status,
// printing it to stderr: 0 for nil and -h, 2 for a usage error, 1 for
// anything else.
func Exit(prog string, err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "%s: %v (run with -h for the flags)\n", prog, err)
		return 2
	}
	fmt.Fprintf(stderr, "%s: %v\n", prog, err)
	return 1
}
