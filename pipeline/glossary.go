package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"
)

// GlossaryEntry maps a source-language term to its fixed English form.
type GlossaryEntry struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// Glossary keeps names consistent across chunks and documents.
type Glossary []GlossaryEntry

// LoadGlossary reads a glossary file: TSV (source<TAB>target, # comments) or
// JSON (an object {"source": "target"} or a list of {"source","target"}).
func LoadGlossary(path string) (Glossary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("glossary: %w", err)
	}
	g, err := ParseGlossary(b)
	if err != nil {
		return nil, fmt.Errorf("glossary %s: %w", path, err)
	}
	return g, nil
}

// ParseGlossary parses glossary bytes; see LoadGlossary for the formats.
func ParseGlossary(b []byte) (Glossary, error) {
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("not valid UTF-8")
	}
	t := bytes.TrimSpace(b)
	var g Glossary
	switch {
	case len(t) > 0 && t[0] == '{':
		var m map[string]string
		if err := json.Unmarshal(t, &m); err != nil {
			return nil, fmt.Errorf("JSON object: %w", err)
		}
		for k, v := range m {
			g = append(g, GlossaryEntry{Source: k, Target: v})
		}
	case len(t) > 0 && t[0] == '[':
		if err := json.Unmarshal(t, &g); err != nil {
			return nil, fmt.Errorf("JSON list: %w", err)
		}
	default:
		sc := bufio.NewScanner(bytes.NewReader(b))
		n := 0
		for sc.Scan() {
			n++
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			src, dst, ok := strings.Cut(line, "\t")
			if !ok {
				return nil, fmt.Errorf("line %d: want source<TAB>target", n)
			}
			g = append(g, GlossaryEntry{Source: strings.TrimSpace(src), Target: strings.TrimSpace(dst)})
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	out := g[:0]
	for _, e := range g {
		if e.Source == "" || e.Target == "" {
			return nil, fmt.Errorf("entry %q → %q: both sides are required", e.Source, e.Target)
		}
		out = append(out, e)
	}
	// Longest source first, so "إسماعيل قآني" is matched before "قآني".
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Source) > len(out[j].Source) })
	return out, nil
}

// Relevant returns the entries whose source term occurs in text.
func (g Glossary) Relevant(text string) Glossary {
	var out Glossary
	for _, e := range g {
		if strings.Contains(text, e.Source) {
			out = append(out, e)
		}
	}
	return out
}

// Misses returns the entries whose source term occurs in src but whose target
// does not occur (case-insensitively) in out.
func (g Glossary) Misses(src, out string) []string {
	lo := strings.ToLower(out)
	var miss []string
	for _, e := range g.Relevant(src) {
		if !strings.Contains(lo, strings.ToLower(e.Target)) {
			miss = append(miss, e.Source+" → "+e.Target)
		}
	}
	return miss
}
