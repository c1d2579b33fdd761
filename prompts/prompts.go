// Package prompts holds tarjama's prompt templates (Go text/template files
// embedded with go:embed) and renders them.
//
// Each template file NAME.tmpl begins with a version comment
// {{/* version: N */}} and defines two templates, "system" and "user". Load
// reads the embedded set and, optionally, a directory whose files override
// embedded ones of the same name. Render returns the two messages and the
// prompt's identity, NAME@vN-HASH, where HASH is a short hash of the file's
// content: every output records it, so a change in scores can be traced to a
// prompt change even when someone edits a template without bumping N.
package prompts

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

//go:embed *.tmpl
var embedded embed.FS

// Set is a loaded set of prompt templates.
type Set struct {
	prompts map[string]*prompt
}

type prompt struct {
	name    string
	version string
	tmpl    *template.Template
	origin  string // "embedded" or the override file's path
}

// Rendered is a prompt ready to send.
type Rendered struct {
	System, User  string
	Name, Version string
}

// ID is the prompt's identity recorded in outputs and cache keys.
func (r Rendered) ID() string { return r.Name + "@" + r.Version }

var versionRE = regexp.MustCompile(`^\s*\{\{/\*\s*version:\s*([0-9A-Za-z.\-]+)\s*\*/\}\}`)

// Load reads the embedded templates and, when dir is not empty, the *.tmpl
// files in dir, which replace embedded templates of the same name.
func Load(dir string) (*Set, error) {
	s := &Set{prompts: map[string]*prompt{}}
	if err := s.addFS(embedded, "embedded"); err != nil {
		return nil, err
	}
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("prompts directory: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("prompts directory %s is not a directory", dir)
		}
		if err := s.addFS(os.DirFS(dir), dir); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Set) addFS(fsys fs.FS, origin string) error {
	names, err := fs.Glob(fsys, "*.tmpl")
	if err != nil {
		return err
	}
	for _, file := range names {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return fmt.Errorf("prompt %s: %w", file, err)
		}
		p, err := parse(strings.TrimSuffix(file, ".tmpl"), b)
		if err != nil {
			return fmt.Errorf("prompt %s (%s): %w", file, origin, err)
		}
		p.origin = origin
		if origin != "embedded" {
			p.origin = filepath.Join(origin, file)
		}
		s.prompts[p.name] = p
	}
	return nil
}

func parse(name string, b []byte) (*prompt, error) {
	m := versionRE.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("first line must be {{/* version: N */}}")
	}
	sum := sha256.Sum256(b)
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(string(b))
	if err != nil {
		return nil, err
	}
	for _, part := range []string{"system", "user"} {
		if t.Lookup(part) == nil {
			return nil, fmt.Errorf("missing {{define %q}}", part)
		}
	}
	return &prompt{name: name, version: "v" + string(m[1]) + "-" + hex.EncodeToString(sum[:])[:8], tmpl: t}, nil
}

// Render executes the named prompt with data.
func (s *Set) Render(name string, data any) (Rendered, error) {
	p, ok := s.prompts[name]
	if !ok {
		return Rendered{}, fmt.Errorf("no prompt named %q (have %s)", name, strings.Join(s.Names(), ", "))
	}
	var sys, user bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&sys, "system", data); err != nil {
		return Rendered{}, fmt.Errorf("prompt %s: %w", name, err)
	}
	if err := p.tmpl.ExecuteTemplate(&user, "user", data); err != nil {
		return Rendered{}, fmt.Errorf("prompt %s: %w", name, err)
	}
	return Rendered{
		System:  strings.TrimSpace(sys.String()),
		User:    strings.TrimSpace(user.String()),
		Name:    name,
		Version: p.version,
	}, nil
}

// Names lists the loaded prompts.
func (s *Set) Names() []string {
	var out []string
	for n := range s.prompts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Origin says where a prompt was loaded from ("embedded" or a file path).
func (s *Set) Origin(name string) string {
	if p, ok := s.prompts[name]; ok {
		return p.origin
	}
	return ""
}

var funcs = template.FuncMap{
	// fence wraps untrusted text in a delimiter that the text itself cannot
	// close: the fence grows until it does not occur in the text.
	"fence": Fence,
	"inc":   func(i int) int { return i + 1 },
	"join":  strings.Join,
}

// Fence returns text between <<<DATA and DATA>>> markers, lengthening the
// marker until it does not occur inside the text, so article text cannot
// end the data block early.
func Fence(text string) string {
	tag := "DATA"
	for strings.Contains(text, tag) {
		tag += "_"
	}
	return "<<<" + tag + "\n" + text + "\n" + tag + ">>>"
}
