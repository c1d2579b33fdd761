package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
)

// resultWriter writes results as they come: JSON Lines (one compact object
// per document; indented when stdout is a terminal), a Markdown report, or
// plain text for the single stages.
type resultWriter struct {
	w      *bufio.Writer
	format string // json, md, text
	text   func(*pipeline.Result) string
	pretty bool
	n      int
	close  func() error
}

// openOutput opens -o FILE (atomically: written to a temp file and renamed
// on success) or stdout.
func (a *App) openOutput(path, format string) (*resultWriter, error) {
	switch format {
	case "json", "md", "text":
	default:
		return nil, usageErrorf("--format %q: want json, md or text", format)
	}
	rw := &resultWriter{format: format}
	if path == "" || path == "-" {
		rw.w = bufio.NewWriter(a.Stdout)
		rw.close = func() error { return nil }
		return rw, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, usageErrorf("output %s: %v", path, err)
	}
	rw.w = bufio.NewWriter(f)
	rw.close = func() error {
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return err
		}
		return os.Rename(f.Name(), path)
	}
	return rw, nil
}

func (rw *resultWriter) write(r *pipeline.Result) error {
	rw.n++
	switch rw.format {
	case "md":
		renderMarkdown(rw.w, r)
		return rw.w.Flush()
	case "text":
		fmt.Fprintln(rw.w, rw.text(r))
		return rw.w.Flush()
	}
	if rw.pretty {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		rw.w.Write(append(b, '\n'))
		return rw.w.Flush()
	}
	if err := writeLine(rw.w, r); err != nil {
		return err
	}
	return rw.w.Flush()
}

// finish flushes the output and, for a file, moves it into place.
func (rw *resultWriter) finish() error {
	if err := rw.w.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return rw.close()
}

func writeLine(w io.Writer, r *pipeline.Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// renderMarkdown is the report for a person.
func renderMarkdown(w io.Writer, r *pipeline.Result) {
	title := r.Clean.Title
	gloss := r.Translation != nil && r.Translation.Kind == "gloss"
	if r.Translation != nil && r.Translation.Title != "" && !gloss {
		title = r.Translation.Title
	}
	if title == "" {
		title = r.ID
	}
	fmt.Fprintf(w, "# %s\n\n", title)
	if gloss && r.Translation.Title != "" {
		fmt.Fprintf(w, "*Title, word-by-word gloss:* %s\n\n", r.Translation.Title)
	}
	meta := []string{fmt.Sprintf("id `%s`", r.ID), fmt.Sprintf("language **%s** (%.0f%%, %s)", r.Language.Lang, 100*r.Language.Confidence, r.Language.Script), "engine " + r.Engine}
	if r.Clean.Dateline != "" {
		meta = append(meta, r.Clean.Dateline)
	}
	if r.Clean.SourceLine != "" {
		meta = append(meta, r.Clean.SourceLine)
	}
	if r.URL != "" {
		meta = append(meta, r.URL)
	} else if r.Source != "" {
		meta = append(meta, r.Source)
	}
	fmt.Fprintf(w, "%s\n\n", strings.Join(meta, " · "))
	for _, e := range r.Errors {
		fmt.Fprintf(w, "> **Error in %s:** %s\n\n", e.Step, e.Message)
	}
	if r.Summary != nil {
		label := "Summary"
		if r.Summary.Kind == "extractive" {
			label = "Summary (extractive: sentences chosen from the article)"
		}
		fmt.Fprintf(w, "## %s\n\n", label)
		if len(r.Summary.Bullets) > 0 {
			for _, b := range r.Summary.Bullets {
				fmt.Fprintf(w, "- %s\n", b)
			}
			fmt.Fprintln(w)
		} else {
			fmt.Fprintf(w, "%s\n\n", r.Summary.Text)
		}
		if r.Summary.Gloss != "" {
			fmt.Fprintf(w, "*English gloss (word by word, not a translation):* %s\n\n", r.Summary.Gloss)
		}
	}
	if len(r.Keywords) > 0 {
		fmt.Fprintln(w, "## Keywords")
		fmt.Fprintln(w)
		for _, k := range r.Keywords {
			s := k.Text
			if k.Original != "" && k.Original != k.Text {
				s += " (" + k.Original + ")"
			}
			if k.Type != "" {
				s += " — " + k.Type
			}
			if k.Source == "page_tags" {
				s += " — page tag"
			}
			fmt.Fprintf(w, "- %s\n", s)
		}
		fmt.Fprintln(w)
	}
	if r.Translation != nil {
		if r.Translation.Kind == "gloss" {
			fmt.Fprintf(w, "## English gloss (word by word from a dictionary, not a translation; %.0f%% of words found)\n\n", 100*r.Translation.Coverage)
		} else {
			fmt.Fprintln(w, "## Translation")
			fmt.Fprintln(w)
		}
		for _, p := range r.Translation.Paragraphs {
			fmt.Fprintf(w, "%s\n\n", p)
		}
		if len(r.Translation.GlossaryMisses) > 0 {
			fmt.Fprintf(w, "> Glossary terms missing from the translation: %s\n\n", strings.Join(r.Translation.GlossaryMisses, "; "))
		}
	} else {
		fmt.Fprintln(w, "## Original text")
		fmt.Fprintln(w)
		for _, p := range r.Clean.Paragraphs {
			fmt.Fprintf(w, "%s\n\n", p)
		}
	}
	var notes []string
	for _, t := range r.Trace {
		for _, n := range t.Notes {
			notes = append(notes, t.Step+": "+n)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "## Notes")
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
		fmt.Fprintln(w)
	}
	if r.Usage.Calls > 0 {
		fmt.Fprintf(w, "*%d API calls, %d prompt + %d completion tokens.*\n\n", r.Usage.Calls, r.Usage.PromptTokens, r.Usage.CompletionTokens)
	}
	fmt.Fprintln(w, "---")
	fmt.Fprintln(w)
}
