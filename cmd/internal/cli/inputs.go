package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
	"github.com/tarjama/tarjama/pipeline/input"
)

// unit is one input: a new document, or a Result from an earlier stage
// (tarjama detect a.txt | tarjama translate), or a bad input.
type unit struct {
	doc pipeline.Document
	res *pipeline.Result
	err error
}

var resultMarker = []byte(`"schema":"` + pipeline.SchemaVersion + `"`)

// eachInput calls fn for every input of args ("-" or no args: stdin).
// Streams whose first line is a tarjama Result are read as Results; all
// else goes through pipeline/input. fn's error stops the walk.
func (a *App) eachInput(ctx context.Context, args []string, opt input.Options, fn func(unit) error) error {
	if len(args) == 0 {
		if f, ok := a.Stdin.(*os.File); ok && isTerminal(f) {
			return usageErrorf("no input: give files or directories, or - to read standard input")
		}
		args = []string{"-"}
	}
	for _, arg := range args {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		switch ext := strings.ToLower(filepath.Ext(arg)); {
		case arg == "-":
			err = a.eachInStream(ctx, "stdin", "-", a.Stdin, opt, fn)
		case ext == ".jsonl" || ext == ".ndjson":
			var f *os.File
			if f, err = os.Open(arg); err != nil {
				err = fn(unit{err: &input.Error{Source: arg, Msg: "cannot open: " + rootCause(err) + ": check the path and permissions", Err: err}})
				break
			}
			err = a.eachInStream(ctx, arg, arg, f, opt, fn)
			f.Close()
		default:
			for it := range input.Walk(ctx, []string{arg}, nil, opt) {
				if err = fn(unit{doc: it.Doc, err: it.Err}); err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// eachInStream reads one stream: Results line by line when its first line
// is a Result, else documents through input.Read.
func (a *App) eachInStream(ctx context.Context, source, name string, r io.Reader, opt input.Options, fn func(unit) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64 << 10)
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if !bytes.Contains(first, resultMarker) {
		for it := range input.Read(ctx, name, br, opt) {
			if err := fn(unit{doc: it.Doc, err: it.Err}); err != nil {
				return err
			}
		}
		return nil
	}
	line := 0
	for {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			line++
			var res pipeline.Result
			u := unit{res: &res}
			if jerr := json.Unmarshal(b, &res); jerr != nil || res.ID == "" {
				msg := "not a tarjama result (no id)"
				if jerr != nil {
					msg = "malformed JSON (" + rootCause(jerr) + ")"
				}
				u = unit{err: &input.Error{Source: source, Line: line, Msg: msg + ": fix or remove the line", Err: jerr}}
			}
			if ferr := fn(u); ferr != nil {
				return ferr
			}
		} else if len(b) > 0 {
			line++
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fn(unit{err: &input.Error{Source: source, Line: line + 1, Msg: "read error: " + err.Error(), Err: err}})
		}
	}
}

func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// reportInputError prints a bad input on stderr in one line.
func (a *App) reportInputError(err error) {
	fmt.Fprintf(a.Stderr, "tarjama: %s\n", oneLine(err.Error()))
}
