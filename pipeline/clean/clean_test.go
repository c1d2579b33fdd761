package clean

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tarjama/tarjama/pipeline"
)

func readSeed(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/seed/qaani-kadhimi-2020-11-25.ar.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSeedArticle(t *testing.T) {
	c := New().Clean(pipeline.Document{ID: "seed", Text: readSeed(t)})
	if c.Title != "تفاصيل جديدة للقاء قائد فيلق القدس بالكاظمي وفصائل العراق المسلحة" {
		t.Errorf("title %q", c.Title)
	}
	if c.Dateline != "الأربعاء 25 نوفمبر 2020 10:01 ص" {
		t.Errorf("dateline %q", c.Dateline)
	}
	if len(c.Paragraphs) != 12 {
		t.Fatalf("got %d body paragraphs, want 12:\n%s", len(c.Paragraphs), strings.Join(c.Paragraphs, "\n---\n"))
	}
	if !strings.HasPrefix(c.Paragraphs[0], "كشفت مصادر مطلعة") || !strings.HasPrefix(c.Paragraphs[11], "وبحسب مستشار") {
		t.Errorf("body bounds wrong: %q … %q", c.Paragraphs[0], c.Paragraphs[11])
	}
	if c.SourceLine != "المصدر | الخليج الجديد + ميدل إيست آي" {
		t.Errorf("source line %q", c.SourceLine)
	}
	if diff := cmp.Diff([]string{"فيلق القدس", "الكاظمي", "العراق"}, c.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	var related []string
	kinds := map[string]int{}
	for _, d := range c.Dropped {
		kinds[d.Kind]++
		if d.Kind == "related_headline" {
			related = append(related, d.Text)
		}
	}
	if len(related) != 2 || !strings.HasPrefix(related[0], "قطع البازل") || !strings.HasPrefix(related[1], "صحيفة:") {
		t.Errorf("related headlines %q", related)
	}
	if kinds["source_line"] != 1 || kinds["tags"] != 2 {
		t.Errorf("dropped kinds %v", kinds)
	}
	// Nothing is lost: every input paragraph is somewhere in the output.
	all := c.Title + "\n" + c.Dateline + "\n" + strings.Join(c.Paragraphs, "\n")
	for _, d := range c.Dropped {
		all += "\n" + d.Text
	}
	for _, p := range pipeline.SplitParagraphs(readSeed(t)) {
		if !strings.Contains(all, p) {
			t.Errorf("paragraph lost: %q", p)
		}
	}
}

func TestCases(t *testing.T) {
	for _, tc := range []struct {
		name            string
		doc             pipeline.Document
		title, dateline string
		body            int
		tags            []string
		dropped         []string // kinds
	}{
		{
			name:  "plain English with given title repeated in text",
			doc:   pipeline.Document{Title: "Floods hit Basra", Text: "Floods hit Basra\n\nHeavy rain flooded the city on Monday.\n\nOfficials said 3 people died."},
			title: "Floods hit Basra", body: 2,
		},
		{
			name: "no title heuristics on a single paragraph",
			doc:  pipeline.Document{Text: "Just one short line"},
			body: 1,
		},
		{
			name:  "English tail with tags on one line and share line",
			doc:   pipeline.Document{Text: "Ceasefire talks resume\n\nMonday, 3 March 2025 14:05\n\nNegotiators met in Doha on Monday.\n\nThey will meet again next week.\n\nShare this article\n\nSource: Reuters\n\nTags: Gaza, Doha, ceasefire\n\nRead more\n\nAid convoys enter Rafah"},
			title: "Ceasefire talks resume", dateline: "Monday, 3 March 2025 14:05", body: 2,
			tags:    []string{"Gaza", "Doha", "ceasefire"},
			dropped: []string{"source_line", "tags", "related_marker", "related_headline", "boilerplate"},
		},
		{
			name:  "a sentence starting with a marker word is body",
			doc:   pipeline.Document{Text: "Title here\n\nFirst paragraph of the story.\n\nRelated talks will follow next month, officials said."},
			title: "Title here", body: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New().Clean(tc.doc)
			if c.Title != tc.title || c.Dateline != tc.dateline || len(c.Paragraphs) != tc.body {
				t.Fatalf("title %q dateline %q body %d: %q", c.Title, c.Dateline, len(c.Paragraphs), c.Paragraphs)
			}
			if tc.tags != nil {
				if diff := cmp.Diff(tc.tags, c.Tags); diff != "" {
					t.Errorf("tags: %s", diff)
				}
			}
			got := map[string]bool{}
			for _, d := range c.Dropped {
				got[d.Kind] = true
			}
			for _, k := range tc.dropped {
				if !got[k] {
					t.Errorf("no dropped %q in %+v", k, c.Dropped)
				}
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	f.Add("title\n\nbody text.\n\nالمصدر | x\n\nكلمات مفتاحية\n\nأ ب ج")
	f.Add("tags: a, b\n\n\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		c := New().Clean(pipeline.Document{Text: s})
		n := 0
		if c.Title != "" {
			n++
		}
		if c.Dateline != "" {
			n++
		}
		n += len(c.Paragraphs) + len(c.Dropped)
		// Every input paragraph ends up exactly once somewhere (the tag
		// line may be split into tags but is also kept in Dropped).
		if want := len(pipeline.SplitParagraphs(s)); n != want {
			t.Fatalf("paragraphs in %d, accounted for %d: %+v", want, n, c)
		}
	})
}
