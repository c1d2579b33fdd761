package offline

import (
	"strings"
	"testing"

	"github.com/tarjama/tarjama/pipeline/text"
)

func phraseTexts(ps []Phrase) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

func TestKeyphrasesRules(t *testing.T) {
	paras := []string{
		`التقى وزير الخارجية "سيرغي لافروف" في موسكو بنظيره التركي، وبحث وزير الخارجية مع لافروف ملف سوريا.`,
		`وقال لافروف إن وزير الخارجية التركي سيزور موسكو مرة أخرى. وأكد "لافروف" أن ملف سوريا هو الأهم.`,
		`وفي موسكو، قالت مصادر إن الملف السوري كان على الطاولة، وإن "مجلس الأمن الدولي" سيبحثه.`,
	}
	ps := Keyphrases(paras, "ar", DefaultKeywordOptions())
	if len(ps) == 0 {
		t.Fatal("no phrases")
	}
	got := phraseTexts(ps)
	t.Logf("phrases: %q", got)
	has := func(s string) bool {
		for _, g := range got {
			if text.Normalize(g) == text.Normalize(s) {
				return true
			}
		}
		return false
	}
	for _, want := range []string{"وزير الخارجية", "مجلس الأمن الدولي"} {
		if !has(want) {
			t.Errorf("phrases %q miss %q", got, want)
		}
	}
	if !has("لافروف") && !has("سيرغي لافروف") {
		t.Errorf("phrases %q miss the quoted name لافروف", got)
	}
	seen := map[string]bool{}
	for i, p := range ps {
		ws := strings.Fields(p.Text)
		if len(ws) == 0 || len(ws) > 4 {
			t.Errorf("phrase %q has %d words", p.Text, len(ws))
			continue
		}
		if text.IsStopWord("ar", ws[0]) || text.IsStopWord("ar", ws[len(ws)-1]) {
			t.Errorf("phrase %q starts or ends with a stop word", p.Text)
		}
		if !strings.Contains(strings.Join(paras, "\n"), p.Text) {
			t.Errorf("phrase %q is not a surface form from the text", p.Text)
		}
		sk := stemKey("ar", p.Key)
		if seen[sk] {
			t.Errorf("phrase %q duplicates an earlier one (stem key %q)", p.Text, sk)
		}
		seen[sk] = true
		if p.Score <= 0 || p.Score > 1 || i > 0 && p.Score > ps[i-1].Score {
			t.Errorf("phrase %q score %v not in (0,1] or not descending", p.Text, p.Score)
		}
	}
	if ps[0].Score != 1 {
		t.Errorf("best score = %v, want 1", ps[0].Score)
	}
}

func TestKeyphrasesQuotedNamesRankHigh(t *testing.T) {
	paras := []string{
		`قال مصدر مطلع إن "قآني" التقى قادة الفصائل في بغداد يوم الأربعاء.`,
		`وأضاف المصدر أن الاجتماع تناول الوضع الأمني في بغداد والمنطقة.`,
		`وحذر "قآني" من تصعيد قد يشمل المنطقة كلها.`,
	}
	with := Keyphrases(paras, "ar", DefaultKeywordOptions())
	o := DefaultKeywordOptions()
	o.QuoteBoost = 0
	without := Keyphrases(paras, "ar", o)
	rank := func(ps []Phrase) int {
		for i, p := range ps {
			if p.Text == "قآني" {
				return i
			}
		}
		return len(ps)
	}
	if rank(with) != 0 {
		t.Errorf("quoted name ranks %d with the boost, want 0: %q", rank(with), phraseTexts(with))
	}
	if rank(without) < rank(with) {
		t.Errorf("boost did not help: %d without, %d with", rank(without), rank(with))
	}
	if !with[0].Quoted {
		t.Errorf("phrase %q not marked quoted", with[0].Text)
	}
}

func TestKeyphrasesSurfaceFormAndClitics(t *testing.T) {
	// The same name with and without proclitics is one phrase, shown in its
	// most frequent written form.
	paras := []string{
		"التقى الكاظمي بالسفير. وقال الكاظمي إن الحوار مستمر.",
		"واجتمع الكاظمي مع الوفد، ثم عاد والكاظمي إلى مكتبه، وللكاظمي رأي آخر.",
	}
	ps := Keyphrases(paras, "ar", DefaultKeywordOptions())
	n := 0
	for _, p := range ps {
		if p.Key == "كاظمي" {
			n++
			if p.Text != "الكاظمي" || p.Count != 5 {
				t.Errorf("phrase = %+v, want surface الكاظمي counted 5 times", p)
			}
		}
	}
	if n != 1 {
		t.Errorf("الكاظمي appears %d times in %q", n, phraseTexts(ps))
	}
}

func TestLevRatio(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"abc", "abc", 1},
		{"", "", 1},
		{"abc", "", 0},
		{"kitten", "sitting", 1 - 3.0/7},
		{"قاني", "قآني", 0.75},
	}
	for _, tt := range tests {
		if got := levRatio(tt.a, tt.b); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("levRatio(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func FuzzKeyphrases(f *testing.F) {
	for _, s := range []string{"", `"قآني" قال`, "«»\"\"", "a b c. d e f", "و ال لل", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"ar", "en"} {
			ps := Keyphrases([]string{s}, lang, DefaultKeywordOptions())
			if len(ps) > 10 {
				t.Fatalf("%d phrases", len(ps))
			}
			for _, p := range ps {
				if p.Text == "" || !strings.Contains(s, p.Text) {
					t.Fatalf("phrase %q not in input %q", p.Text, s)
				}
			}
		}
	})
}
