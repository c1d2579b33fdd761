package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tarjama/tarjama/pipeline"
)

// Item is one line of an evaluation dataset (JSON Lines). Only ID and Text
// are required; each reference present enables the metrics that need it.
type Item struct {
	ID string `json:"id"`
	// Text is the article, paragraphs separated by blank lines.
	Text  string `json:"text"`
	Lang  string `json:"lang,omitempty"`
	Title string `json:"title,omitempty"`
	// ReferenceSummary is scored with ROUGE against the system's summary.
	ReferenceSummary string `json:"reference_summary,omitempty"`
	// SummaryLang is the reference summary's language; when empty it is
	// detected from its script ("ar" for Arabic script, else "en"). The
	// pipeline is asked to summarize in this language.
	SummaryLang string `json:"summary_lang,omitempty"`
	// ReferenceTranslation is the English translation, paragraphs separated
	// by blank lines; scored with BLEU, chrF, chrF++ and TER.
	ReferenceTranslation string `json:"reference_translation,omitempty"`
	// ReferenceKeywords are scored with keyword precision/recall/F1.
	ReferenceKeywords []string `json:"reference_keywords,omitempty"`
	// Meta is free-form and ignored by the harness (source, licence...).
	Meta json.RawMessage `json:"meta,omitempty"`
}

// Document is the pipeline input for the item.
func (it Item) Document() pipeline.Document {
	return pipeline.Document{ID: it.ID, Text: it.Text, Title: it.Title, Lang: it.Lang}
}

// LineError is a malformed input line; its message is "file:line: what".
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ErrData marks an input file that cannot be used (malformed line,
// duplicate id, missing output); the CLI maps it to exit code 2.
var ErrData = errors.New("bad evaluation data")

// dataError wraps a data problem so errors.Is(err, ErrData) holds.
type dataError struct{ err error }

func (e *dataError) Error() string   { return e.err.Error() }
func (e *dataError) Unwrap() []error { return []error{e.err, ErrData} }

func dataErrorf(format string, args ...any) error {
	return &dataError{fmt.Errorf(format, args...)}
}

// maxLine bounds one JSON line (articles are long, but not this long).
const maxLine = 64 << 20

// eachLine calls fn with every non-blank line of r and its 1-based number.
// Errors from fn are wrapped as *LineError naming name:line.
func eachLine(r io.Reader, name string, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := fn(n, b); err != nil {
			return &dataError{&LineError{File: name, Line: n, Err: err}}
		}
	}
	if err := sc.Err(); err != nil {
		return &dataError{&LineError{File: name, Line: n + 1, Err: err}}
	}
	return nil
}

// decodeStrict decodes one JSON object, rejecting unknown fields (a typo
// such as "reference_sumary" would otherwise silently disable a metric) and
// trailing data.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return errors.New("invalid JSON: more than one value on the line")
	}
	return nil
}

// ReadDataset reads a dataset in JSON Lines; name is used in error
// messages. Blank lines are skipped; any malformed line is an error naming
// name:line (wrapping ErrData): an evaluation set with a broken line is not
// silently evaluated on fewer items.
func ReadDataset(r io.Reader, name string) ([]Item, error) {
	var items []Item
	seen := map[string]int{}
	n := 0
	err := eachLine(r, name, func(_ int, b []byte) error {
		n++
		var it Item
		if err := decodeStrict(b, &it); err != nil {
			return err
		}
		switch {
		case it.ID == "":
			return errors.New(`missing "id"`)
		case strings.TrimSpace(it.Text) == "":
			return fmt.Errorf("item %q: missing \"text\"", it.ID)
		}
		if prev, dup := seen[it.ID]; dup {
			return fmt.Errorf("duplicate id %q (first on item %d)", it.ID, prev)
		}
		seen[it.ID] = n
		items = append(items, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, dataErrorf("%s: no items", name)
	}
	return items, nil
}

// LoadDataset reads the dataset file at path.
func LoadDataset(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &dataError{fmt.Errorf("open dataset: %w", err)}
	}
	defer f.Close()
	return ReadDataset(f, path)
}

// ReadOutputs reads pipeline results (JSON Lines as tarjama run writes
// them) keyed by id. Unknown fields are allowed (the result schema grows);
// a line without an id or a duplicate id is an error.
func ReadOutputs(r io.Reader, name string) (map[string]*pipeline.Result, error) {
	out := map[string]*pipeline.Result{}
	err := eachLine(r, name, func(_ int, b []byte) error {
		var res pipeline.Result
		if err := json.Unmarshal(b, &res); err != nil {
			return fmt.Errorf("invalid JSON: %w", err)
		}
		if res.ID == "" {
			return errors.New(`missing "id"`)
		}
		if _, dup := out[res.ID]; dup {
			return fmt.Errorf("duplicate id %q", res.ID)
		}
		out[res.ID] = &res
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LoadOutputs reads the results file at path.
func LoadOutputs(path string) (map[string]*pipeline.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &dataError{fmt.Errorf("open outputs: %w", err)}
	}
	defer f.Close()
	return ReadOutputs(f, path)
}
