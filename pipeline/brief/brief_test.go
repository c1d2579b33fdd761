package brief

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/brief/golden")

func load(t testing.TB, name string) []pipeline.Result {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "brief", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := ReadResults(f)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// groupsByID returns the sections as sorted lists of article IDs, sorted.
func groupsByID(b *Briefing) [][]string {
	id := map[int]string{}
	for _, s := range b.Sources {
		id[s.N] = s.ID
	}
	var out [][]string
	for _, sec := range b.Sections {
		var g []string
		for _, a := range sec.Articles {
			g = append(g, id[a.Source])
		}
		sort.Strings(g)
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

var wantStories = [][]string{
	{"floods-ar-2", "floods-ar-3", "floods-en-1"},
	{"grid-ar-2", "grid-en-1"},
	{"rate-ar-2", "rate-en-1"},
}

func TestGroupingOffline(t *testing.T) {
	for _, tc := range []struct {
		file string
		want [][]string
	}{
		{"articles.jsonl", wantStories},
		{"arabic_only.jsonl", [][]string{{"ar-floods-1", "ar-floods-2"}, {"ar-rate-1", "ar-rate-2"}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := (&Builder{}).Build(context.Background(), load(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if b.Grouping != "tfidf" || b.Engine != "offline" {
				t.Errorf("grouping %q engine %q, want tfidf offline", b.Grouping, b.Engine)
			}
			if diff := cmp.Diff(tc.want, groupsByID(b)); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

// topicEmbedder is a fake embedder that places each text on the axis of the
// topic words it contains, so grouping must follow the vectors.
type topicEmbedder struct {
	calls int
	err   error
}

func (e *topicEmbedder) Embed(_ context.Context, texts []string) ([][]float32, pipeline.Usage, error) {
	e.calls++
	if e.err != nil {
		return nil, pipeline.Usage{Calls: 1}, e.err
	}
	topics := [][]string{{"flood", "سيول", "rain", "أمطار", "الأمطار"}, {"grid", "electric", "power", "الكهرباء"}, {"rate", "inflation", "الفائدة"}}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, len(topics)+1)
		v[len(topics)] = 0.1
		low := strings.ToLower(t)
		for k, words := range topics {
			for _, w := range words {
				v[k] += float32(strings.Count(low, w))
			}
		}
		out[i] = v
	}
	return out, pipeline.Usage{PromptTokens: 10 * len(texts), Calls: 1}, nil
}

func TestGroupingEmbeddings(t *testing.T) {
	e := &topicEmbedder{}
	b, err := (&Builder{Embedder: e}).Build(context.Background(), load(t, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Grouping != "embeddings" || e.calls != 1 {
		t.Errorf("grouping %q after %d embed calls, want embeddings after 1", b.Grouping, e.calls)
	}
	if diff := cmp.Diff(wantStories, groupsByID(b)); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if b.Usage.PromptTokens != 70 {
		t.Errorf("usage %+v, want the embedder's 70 prompt tokens", b.Usage)
	}

	// A failing embedder falls back to TF-IDF and says so.
	b, err = (&Builder{Embedder: &topicEmbedder{err: errors.New("404 model not found")}}).Build(context.Background(), load(t, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Grouping != "tfidf" || !slices.ContainsFunc(b.Notes, func(n string) bool { return strings.Contains(n, "404 model not found") }) {
		t.Errorf("grouping %q notes %q: want a TF-IDF fallback with a note", b.Grouping, b.Notes)
	}
	if diff := cmp.Diff(wantStories, groupsByID(b)); diff != "" {
		t.Errorf("fallback groups (-want +got):\n%s", diff)
	}
}

func TestCluster(t *testing.T) {
	sim := [][]float64{
		{1, 0.9, 0.1, 0.0},
		{0.9, 1, 0.2, 0.0},
		{0.1, 0.2, 1, 0.5},
		{0.0, 0.0, 0.5, 1},
	}
	for _, tc := range []struct {
		threshold float64
		want      [][]int
	}{
		{0.95, [][]int{{0}, {1}, {2}, {3}}},
		{0.6, [][]int{{0, 1}, {2}, {3}}},
		{0.4, [][]int{{0, 1}, {2, 3}}},
		{0.05, [][]int{{0, 1, 2, 3}}},
	} {
		if diff := cmp.Diff(tc.want, cluster(sim, tc.threshold)); diff != "" {
			t.Errorf("threshold %v (-want +got):\n%s", tc.threshold, diff)
		}
	}
}

func TestCheckStatements(t *testing.T) {
	allowed := []int{1, 2, 3}
	for _, tc := range []struct {
		name string
		in   Statement
		want []string // substrings, one per problem
	}{
		{"valid", Statement{Text: "Floods killed 12.", Cites: []int{1, 2}}, nil},
		{"made-up source", Statement{Text: "Floods killed 12.", Cites: []int{1, 9}}, []string{"cites [9], which is not a source"}},
		{"uncited", Statement{Text: "Floods killed 12."}, []string{"cites no source"}},
		{"inline marker counts", Statement{Text: "Floods killed 12 [2]."}, nil},
		{"inline made-up marker", Statement{Text: "Floods killed 12 [1, 9]."}, []string{"[9]"}},
		{"empty", Statement{Text: " ", Cites: []int{1}}, []string{"empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CheckStatements([]Statement{tc.in}, allowed)
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %d problem(s)", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %q does not mention %q", got[i], w)
				}
			}
		})
	}
}

// fakeSynth answers from scripted drafts, in order, and records requests.
type fakeSynth struct {
	sections []SectionDraft // used in order; the last repeats
	// citeFirst makes every statement cite the request's first source.
	citeFirst bool
	bluf      []BottomLineDraft
	reqs      []SectionRequest
	blufReqs  []BottomLineRequest
}

func (f *fakeSynth) Section(_ context.Context, req SectionRequest) (*SectionDraft, error) {
	f.reqs = append(f.reqs, req)
	d := f.sections[min(len(f.reqs), len(f.sections))-1]
	if f.citeFirst {
		d.Statements = slices.Clone(d.Statements)
		for i := range d.Statements {
			d.Statements[i].Cites = []int{req.Sources[0]}
		}
	}
	return &d, nil
}

func (f *fakeSynth) BottomLine(_ context.Context, req BottomLineRequest) (*BottomLineDraft, error) {
	f.blufReqs = append(f.blufReqs, req)
	d := f.bluf[min(len(f.blufReqs), len(f.bluf))-1]
	return &d, nil
}

func twoArticles(t *testing.T) []pipeline.Result {
	var out []pipeline.Result
	for _, r := range load(t, "articles.jsonl") {
		if strings.HasPrefix(r.ID, "grid-") {
			out = append(out, r)
		}
	}
	return out
}

func TestCitationRepair(t *testing.T) {
	good := SectionDraft{Title: "Saudi-Iraq grid deal", Statements: []Statement{{Text: "They signed a grid deal.", Cites: []int{1, 2}}}, Usage: pipeline.Usage{PromptTokens: 100, CompletionTokens: 20}}
	madeUp := SectionDraft{Title: "Saudi-Iraq grid deal", Statements: []Statement{{Text: "They signed a grid deal.", Cites: []int{9}}, {Text: "It links the grids."}}}
	bluf := BottomLineDraft{Statements: []Statement{{Text: "Saudi Arabia and Iraq will link their grids.", Cites: []int{1}}}}

	t.Run("repaired", func(t *testing.T) {
		f := &fakeSynth{sections: []SectionDraft{madeUp, good}, bluf: []BottomLineDraft{bluf}}
		b, err := (&Builder{Synthesizer: f}).Build(context.Background(), twoArticles(t))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.reqs) != 2 {
			t.Fatalf("%d section calls, want 2 (one repair)", len(f.reqs))
		}
		if r := f.reqs[1].Repair; !strings.Contains(r, "[9], which is not a source") || !strings.Contains(r, "statement 2") {
			t.Errorf("repair request does not quote the problems: %q", r)
		}
		if len(b.Problems) != 0 || b.Sections[0].Calls != 2 {
			t.Errorf("problems %v calls %d, want none after repair and 2 calls", b.Problems, b.Sections[0].Calls)
		}
		if got := b.Sections[0].Synthesis[0].Cites; !slices.Equal(got, []int{1, 2}) {
			t.Errorf("cites %v", got)
		}
		if b.Engine != "llm" || b.Usage.Calls != 3 || b.Usage.PromptTokens != 100 {
			t.Errorf("engine %q usage %+v, want llm, 3 calls, 100 prompt tokens", b.Engine, b.Usage)
		}
	})
	t.Run("still wrong is flagged", func(t *testing.T) {
		f := &fakeSynth{sections: []SectionDraft{madeUp}, bluf: []BottomLineDraft{{Statements: []Statement{{Text: "Uncited bullet."}}}}}
		b, err := (&Builder{Synthesizer: f}).Build(context.Background(), twoArticles(t))
		if err != nil {
			t.Fatal(err)
		}
		syn := b.Sections[0].Synthesis
		if len(syn) != 2 || !slices.Equal(syn[0].Flags, []string{"unknown_source:9", "uncited"}) || !slices.Equal(syn[1].Flags, []string{"uncited"}) {
			t.Fatalf("synthesis %+v: want both statements flagged", syn)
		}
		if len(syn[0].Cites) != 0 {
			t.Errorf("the made-up citation was kept: %v", syn[0].Cites)
		}
		if len(b.BottomLine) != 1 || !slices.Equal(b.BottomLine[0].Flags, []string{"uncited"}) {
			t.Errorf("bottom line %+v: want the uncited bullet flagged", b.BottomLine)
		}
		if len(b.Problems) != 4 {
			t.Errorf("problems %+v, want 4", b.Problems)
		}
		var md bytes.Buffer
		if err := WriteMarkdown(&md, b); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"⚠ unverified: cited [9], which is not a source", "## Citation problems"} {
			if !strings.Contains(md.String(), want) {
				t.Errorf("markdown lacks %q:\n%s", want, md.String())
			}
		}
	})
}

func TestSplitSection(t *testing.T) {
	rs := load(t, "articles.jsonl")
	var floods []pipeline.Result
	for _, r := range rs {
		if strings.HasPrefix(r.ID, "floods-") {
			floods = append(floods, r)
		}
	}
	f := &fakeSynth{
		citeFirst: true,
		sections:  []SectionDraft{{Title: "t", Statements: []Statement{{Text: "s.", Cites: []int{1}}}}},
		bluf:      []BottomLineDraft{{Statements: []Statement{{Text: "b.", Cites: []int{1}}}}},
	}
	// A budget below two digests makes one chunk per article and a merge.
	b, err := (&Builder{Synthesizer: f, Options: Options{TokenBudget: 60}}).Build(context.Background(), floods)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sections) != 1 {
		t.Fatalf("%d sections, want 1", len(b.Sections))
	}
	if len(f.reqs) != 4 || b.Sections[0].Calls != 4 {
		t.Fatalf("%d section calls (section says %d), want 3 chunks + 1 merge", len(f.reqs), b.Sections[0].Calls)
	}
	for i := range 3 {
		if len(f.reqs[i].Digests) != 1 || f.reqs[i].Partials != nil {
			t.Errorf("chunk %d: %d digests, partials %v", i, len(f.reqs[i].Digests), f.reqs[i].Partials)
		}
	}
	merge := f.reqs[3]
	if len(merge.Partials) != 3 || len(merge.Digests) != 0 || !slices.Equal(merge.Sources, []int{1, 2, 3}) {
		t.Errorf("merge request %+v: want the chunks' partials, no digests, all sources", merge)
	}
	for i, p := range merge.Partials {
		if !slices.Equal(p.Cites, []int{i + 1}) {
			t.Errorf("partial %d cites %v, want [%d]", i, p.Cites, i+1)
		}
	}
}

func TestDisagreements(t *testing.T) {
	b, err := (&Builder{}).Build(context.Background(), load(t, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var floods, others []Disagreement
	for _, s := range b.Sections {
		if len(s.Articles) == 3 {
			floods = s.Disagreements
		} else {
			others = append(others, s.Disagreements...)
		}
	}
	if len(others) != 0 {
		t.Errorf("disagreements found where the sources agree: %+v", others)
	}
	if len(floods) != 1 || len(floods[0].Claims) != 2 {
		t.Fatalf("floods disagreements %+v, want one with two claims", floods)
	}
	c := floods[0].Claims
	if !strings.Contains(c[0].Text, "12") || !strings.Contains(c[1].Text, "15") || c[0].Cites[0] == c[1].Cites[0] {
		t.Errorf("claims %+v: want 12 and 15 from different sources", c)
	}

	// Arabic-only sources: the numbers are compared in Arabic.
	b, err = (&Builder{}).Build(context.Background(), load(t, "arabic_only.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if ds := b.Sections[0].Disagreements; len(ds) != 1 || ds[0].Claims[0].Lang != "ar" {
		t.Errorf("arabic disagreements %+v", ds)
	}
}

func TestNumberClaims(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // key=value
	}{
		{"Floods killed at least 12 people on Tuesday.", []string{"peopl=12"}},
		{"The death toll rose to 15.", []string{"toll=15"}},
		{"The project is due in 2027.", nil},
		{"It will carry 1,000 megawatts.", []string{"megawatt=1000"}},
		{"لقي 15 شخصا مصرعهم.", []string{"شخص=15"}},
		{"لقي ١٥ شخصا مصرعهم.", []string{"شخص=15"}},
	} {
		var got []string
		for _, c := range numberClaims(tc.in, "en") {
			got = append(got, c.key+"="+c.value)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestEntities(t *testing.T) {
	b, err := (&Builder{}).Build(context.Background(), load(t, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var sanaa *Entity
	for i, e := range b.Entities {
		if e.Name == "Sanaa" {
			sanaa = &b.Entities[i]
		}
		if e.Type != "person" && e.Type != "organization" && e.Type != "location" {
			t.Errorf("entity %+v has type %q", e, e.Type)
		}
	}
	if sanaa == nil {
		t.Fatalf("no Sanaa in %+v", b.Entities)
	}
	// The glossed article's keyword is only "صنعاء": it joins through the
	// original form another article gave.
	if len(sanaa.Sources) != 3 || !slices.Equal(sanaa.Original, []string{"صنعاء"}) {
		t.Errorf("Sanaa = %+v, want 3 sources and the original صنعاء", sanaa)
	}
	for _, e := range b.Entities {
		if e.Name == "الكوليرا" {
			t.Errorf("a topic keyword is in the entity index: %+v", e)
		}
	}
}

func TestOutlet(t *testing.T) {
	for _, tc := range []struct {
		r    pipeline.Result
		want string
	}{
		{pipeline.Result{Clean: pipeline.Cleaned{SourceLine: "المصدر | الخليج الجديد + ميدل إيست آي"}}, "الخليج الجديد + ميدل إيست آي"},
		{pipeline.Result{Clean: pipeline.Cleaned{SourceLine: "Source: Reuters"}}, "Reuters"},
		{pipeline.Result{URL: "https://www.example.com/a/b"}, "example.com"},
		{pipeline.Result{Source: "in/articles/x.txt"}, "x.txt"},
	} {
		if got := outletOf(&tc.r); got != tc.want {
			t.Errorf("outletOf(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestNoArticles(t *testing.T) {
	_, err := (&Builder{}).Build(context.Background(), []pipeline.Result{{ID: "x"}})
	if !errors.Is(err, ErrNoArticles) {
		t.Errorf("err = %v, want ErrNoArticles", err)
	}
}

func TestArabicOnlyIsHonest(t *testing.T) {
	b, err := (&Builder{}).Build(context.Background(), load(t, "arabic_only.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Lang != "ar" {
		t.Errorf("lang %q, want ar", b.Lang)
	}
	if !slices.ContainsFunc(b.Notes, func(n string) bool { return strings.Contains(n, "source language") }) {
		t.Errorf("notes %q do not say the briefing is in the source language", b.Notes)
	}
}

func TestHTML(t *testing.T) {
	b, err := (&Builder{}).Build(context.Background(), load(t, "articles.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, b); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	var links []string
	var walk func(n *html.Node, dir string)
	walk = func(n *html.Node, dir string) {
		if n.Type == html.ElementNode {
			if d := attr(n, "dir"); d != "" {
				dir = d
			}
			if id := attr(n, "id"); id != "" {
				ids[id] = true
			}
			switch n.Data {
			case "a":
				links = append(links, attr(n, "href"))
			case "script", "link", "img", "iframe":
				t.Errorf("external or active element <%s>", n.Data)
			}
		}
		if n.Type == html.TextNode {
			if d := dirOf(n.Data); d == "rtl" && dir != "rtl" {
				t.Errorf("Arabic text %q has dir=%q", clip(strings.TrimSpace(n.Data), 40), dir)
			}
			if d := dirOf(n.Data); d == "auto" && dir != "auto" && dir != "rtl" {
				t.Errorf("mixed text %q has dir=%q", clip(strings.TrimSpace(n.Data), 40), dir)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, dir)
		}
	}
	walk(doc, "")
	cites := 0
	for _, l := range links {
		if strings.HasPrefix(l, "#") {
			cites++
			if !ids[l[1:]] {
				t.Errorf("link %s has no target", l)
			}
		}
	}
	if cites < 10 {
		t.Errorf("%d citation links, want every citation linked", cites)
	}
	for n := 1; n <= len(b.Sources); n++ {
		if !ids["src-"+itoa(n)] {
			t.Errorf("source %d has no anchor", n)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string
		title string
	}{
		{"offline", "articles.jsonl", "Morning brief: Yemen, Gulf energy, Morocco"},
		{"arabic_only", "arabic_only.jsonl", "Arabic-only sources"},
	} {
		b, err := (&Builder{Options: Options{Title: tc.title, Now: func() time.Time { return time.Date(2026, 3, 13, 6, 0, 0, 0, time.UTC) }}}).Build(context.Background(), load(t, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			ext   string
			write func(*bytes.Buffer, *Briefing) error
		}{
			{"md", func(w *bytes.Buffer, b *Briefing) error { return WriteMarkdown(w, b) }},
			{"html", func(w *bytes.Buffer, b *Briefing) error { return WriteHTML(w, b) }},
			{"json", func(w *bytes.Buffer, b *Briefing) error { return WriteJSON(w, b) }},
		} {
			t.Run(tc.name+"."+f.ext, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.write(&buf, b); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("..", "..", "testdata", "brief", "golden", tc.name+"."+f.ext), buf.Bytes())
			})
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

func TestReadResults(t *testing.T) {
	_, err := ReadResults(strings.NewReader("{\"id\":\"a\",\"clean\":{\"paragraphs\":[\"x\"]}}\n\nnot json\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want one naming line 3", err)
	}
	rs, err := ReadResults(strings.NewReader("\n{\"id\":\"a\",\"clean\":{\"paragraphs\":[\"x\"]}}\n"))
	if err != nil || len(rs) != 1 || rs[0].ID != "a" {
		t.Errorf("got %+v, %v", rs, err)
	}
	// A retried document's later record replaces its error record.
	rs, err = ReadResults(strings.NewReader(`{"id":"a","errors":[{"step":"translate","message":"429"}]}
{"id":"b","clean":{"paragraphs":["y"]}}
{"id":"a","clean":{"paragraphs":["x"]}}
`))
	if err != nil || len(rs) != 2 || rs[0].ID != "a" || rs[0].Failed() || rs[1].ID != "b" {
		t.Errorf("got %+v, %v: want a (retried) then b", rs, err)
	}
}

func FuzzReadResults(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "brief", "articles.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	f.Add(lines[0] + "\n" + lines[3])
	f.Add(`{"id":"x","clean":{"title":"<script>","paragraphs":["12 people [9] ]]>"]},"keywords":[{"text":"|","type":"person"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		rs, err := ReadResults(strings.NewReader(in))
		if err != nil {
			return
		}
		b, err := (&Builder{}).Build(context.Background(), rs)
		if err != nil {
			if !errors.Is(err, ErrNoArticles) {
				t.Fatal(err)
			}
			return
		}
		var buf bytes.Buffer
		for _, w := range []func(*bytes.Buffer, *Briefing) error{
			func(w *bytes.Buffer, b *Briefing) error { return WriteMarkdown(w, b) },
			func(w *bytes.Buffer, b *Briefing) error { return WriteHTML(w, b) },
			func(w *bytes.Buffer, b *Briefing) error { return WriteJSON(w, b) },
		} {
			buf.Reset()
			if err := w(&buf, b); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range b.Sections {
			for _, st := range s.Synthesis {
				if len(st.Cites) == 0 {
					t.Errorf("uncited extractive statement %+v", st)
				}
			}
		}
	})
}

func TestDirOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Floods in Sanaa", ""},
		{"سيول جارفة في صنعاء", "rtl"},
		{"سيول جارفة في صنعاء 2026", "rtl"},
		{"Bank Al-Maghrib بنك المغرب", "auto"},
		{"12 [1]", ""},
	} {
		if got := dirOf(tc.in); got != tc.want {
			t.Errorf("dirOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHTMLEscapesArticleText(t *testing.T) {
	rs := []pipeline.Result{{
		ID:       "x",
		URL:      "javascript:alert(1)",
		Language: pipeline.Detection{Lang: "en"},
		Clean:    pipeline.Cleaned{Title: `<script>alert(1)</script>`, Paragraphs: []string{`Text with <img src=x onerror=alert(1)> in it.`}},
	}}
	b, err := (&Builder{}).Build(context.Background(), rs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, b); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img", `href="javascript:`} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	buf.Reset()
	if err := WriteMarkdown(&buf, b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>") || strings.Contains(buf.String(), "<img") || strings.Contains(buf.String(), "<javascript:") {
		t.Errorf("Markdown passes raw HTML through:\n%s", buf.String())
	}
}
