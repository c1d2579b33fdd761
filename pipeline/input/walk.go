package input

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// walkExts are the extensions read when walking a directory.
var walkExts = map[string]bool{".txt": true, ".md": true, ".json": true, ".jsonl": true, ".ndjson": true}

// entry is one file to read, or an error found while listing.
type entry struct {
	path  string // as opened
	rel   string // relative to the directory given, or path for a named file
	stdin bool
	err   *Item
	id    string // document ID for plain text
}

// Walk reads files, directories, globs and "-" (stdin) in order. A directory
// is walked recursively for .txt, .md, .json, .jsonl and .ndjson files,
// skipping hidden names, in lexical order, so a walk is deterministic. A
// plain-text file's ID is its name without extension; when two files in
// the walk would share it, they are told apart by their relative paths.
//
// A path that does not exist, a glob matching nothing, an unreadable file or
// a directory with nothing to read yields an Item with Err and the walk goes
// on. Files are listed (names only) before the first is read.
func Walk(ctx context.Context, paths []string, stdin io.Reader, opt Options) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		entries := list(paths)
		assignIDs(entries)
		for _, e := range entries {
			if ctx.Err() != nil {
				return
			}
			if e.err != nil {
				if !yield(*e.err) {
					return
				}
				continue
			}
			if !readEntry(ctx, e, stdin, opt, yield) {
				return
			}
		}
	}
}

func readEntry(ctx context.Context, e entry, stdin io.Reader, opt Options, yield func(Item) bool) bool {
	if e.stdin {
		if stdin == nil {
			return yield(errItem("stdin", 0, ErrNotFound, "no standard input to read"))
		}
		return readStream(ctx, "stdin", "stdin", true, stdin, opt, yield)
	}
	f, err := os.Open(e.path)
	if err != nil {
		return yield(errItem(e.path, 0, err, "cannot read: %v: check the path and its permissions", unwrapPath(err)))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && formatOf(e.path) == formatText && st.Size() > opt.maxBytes() {
		// Plain text is one document: refuse it without reading it.
		return yield(tooLarge(e.path, 0, st.Size(), opt.maxBytes(), "file"))
	}
	return readStream(ctx, e.path, e.id, false, f, opt, yield)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// list expands the arguments into files, in order, each file once.
func list(paths []string) []entry {
	var out []entry
	seen := map[string]bool{}
	add := func(e entry) {
		if e.err == nil && !e.stdin {
			key := filepath.Clean(e.path)
			if seen[key] {
				return
			}
			seen[key] = true
		}
		out = append(out, e)
	}
	stdinSeen := false
	for _, p := range paths {
		if p == "-" {
			if stdinSeen {
				it := errItem("stdin", 0, ErrNotFound, `"-" (stdin) given more than once; it is read once`)
				add(entry{err: &it})
				continue
			}
			stdinSeen = true
			add(entry{stdin: true})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(p, "*?[") {
				matches, gerr := filepath.Glob(p)
				if gerr != nil {
					it := errItem(p, 0, gerr, "bad glob pattern (%v): fix the pattern", gerr)
					add(entry{err: &it})
					continue
				}
				if len(matches) == 0 {
					it := errItem(p, 0, ErrNotFound, "no file matches this pattern: check the path (quote it so the shell does not expand it)")
					add(entry{err: &it})
					continue
				}
				for _, m := range matches {
					listOne(m, add)
				}
				continue
			}
			cause := err
			if errors.Is(err, fs.ErrNotExist) {
				cause = ErrNotFound
			}
			it := errItem(p, 0, cause, "cannot read: %v: check the path", unwrapPath(err))
			add(entry{err: &it})
			continue
		}
		if st.IsDir() {
			listDir(p, add)
		} else {
			add(entry{path: p, rel: filepath.ToSlash(filepath.Clean(p))})
		}
	}
	return out
}

func listOne(p string, add func(entry)) {
	st, err := os.Stat(p)
	switch {
	case err != nil:
		it := errItem(p, 0, err, "cannot read: %v: check the path", unwrapPath(err))
		add(entry{err: &it})
	case st.IsDir():
		listDir(p, add)
	default:
		add(entry{path: p, rel: filepath.ToSlash(filepath.Clean(p))})
	}
}

// listDir lists the readable files under dir, sorted (WalkDir reads each
// directory in lexical order).
func listDir(dir string, add func(entry)) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			it := errItem(p, 0, err, "cannot read: %v: check its permissions", unwrapPath(err))
			add(entry{err: &it})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !walkExts[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, rerr := filepath.Rel(dir, p)
		if rerr != nil {
			rel = p
		}
		n++
		add(entry{path: p, rel: filepath.ToSlash(rel)})
		return nil
	})
	if err != nil {
		it := errItem(dir, 0, err, "cannot read the directory: %v: check its permissions", unwrapPath(err))
		add(entry{err: &it})
		return
	}
	if n == 0 {
		it := errItem(dir, 0, ErrEmpty, "nothing to read: the directory has no .txt, .md, .json, .jsonl or .ndjson files")
		add(entry{err: &it})
	}
}

// assignIDs gives plain-text files their IDs: the name without extension,
// or, for names shared by several files, the relative path without
// extension, then with it, then the path as given.
func assignIDs(entries []entry) {
	var text []int
	for i, e := range entries {
		if e.err == nil && !e.stdin && formatOf(e.path) == formatText {
			text = append(text, i)
		}
	}
	levels := []func(e entry) string{
		func(e entry) string { return textID(e.path) },
		func(e entry) string { return strings.TrimSuffix(e.rel, filepath.Ext(e.rel)) },
		func(e entry) string { return e.rel },
		func(e entry) string { return filepath.ToSlash(e.path) },
	}
	taken := map[string]bool{}
	for li, level := range levels {
		count := map[string]int{}
		for _, i := range text {
			count[level(entries[i])]++
		}
		var rest []int
		for _, i := range text {
			id := level(entries[i])
			if (count[id] == 1 && !taken[id]) || li == len(levels)-1 {
				entries[i].id = id
				taken[id] = true
			} else {
				rest = append(rest, i)
			}
		}
		text = rest
	}
}
