package text

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func sentenceTexts(s string) []string {
	var out []string
	for _, sp := range Sentences(s) {
		out = append(out, sp.In(s))
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"spaces only", "  \n\t ", nil},
		{"english", "The talks failed. Both sides left!  Why? Nobody knows",
			[]string{"The talks failed.", "Both sides left!", "Why?", "Nobody knows"}},
		{"arabic full stop and question", "وصل الوفد إلى بغداد. هل ينجح الحوار؟ لا أحد يعرف",
			[]string{"وصل الوفد إلى بغداد.", "هل ينجح الحوار؟", "لا أحد يعرف"}},
		{"arabic semicolon", "انتهى الاجتماع؛ وغادر الجميع", []string{"انتهى الاجتماع؛", "وغادر الجميع"}},
		{"arabic question glued", "لماذا؟قال إنه لا يعرف", []string{"لماذا؟", "قال إنه لا يعرف"}},
		{"newline is hard", "سطر بلا نقطة\nسطر آخر", []string{"سطر بلا نقطة", "سطر آخر"}},
		{"crlf", "One line\r\nTwo line", []string{"One line", "Two line"}},
		{"time and decimals", "الأربعاء 25 نوفمبر 2020 10:01 ص. ارتفع المؤشر 2.5 في المئة إلى 1,000 نقطة.",
			[]string{"الأربعاء 25 نوفمبر 2020 10:01 ص.", "ارتفع المؤشر 2.5 في المئة إلى 1,000 نقطة."}},
		{"english abbreviations", "Mr. Smith met Dr. Jones on Jan. 5 at 10 a.m. in Washington. They talked.",
			[]string{"Mr. Smith met Dr. Jones on Jan. 5 at 10 a.m. in Washington.", "They talked."}},
		{"e.g.", "Some fruit, e.g. apples, is red. Other fruit is not.",
			[]string{"Some fruit, e.g. apples, is red.", "Other fruit is not."}},
		{"U.S. mid sentence", "The U.S. President spoke. Then he left.",
			[]string{"The U.S. President spoke.", "Then he left."}},
		{"U.S. at end", "Troops returned to the U.S. The war was over.",
			[]string{"Troops returned to the U.S.", "The war was over."}},
		{"initials", "J. R. Smith wrote it. It sold well.", []string{"J. R. Smith wrote it.", "It sold well."}},
		{"arabic single letter abbreviation", "قال د. أحمد زويل إن العلم مهم. ثم غادر.",
			[]string{"قال د. أحمد زويل إن العلم مهم.", "ثم غادر."}},
		{"arabic م. for engineer", "صرح م. خالد بأن المشروع تأخر.", []string{"صرح م. خالد بأن المشروع تأخر."}},
		{"quote closes sentence", `قال: "انتهت الهدنة." ثم غادر القاعة.`,
			[]string{`قال: "انتهت الهدنة."`, "ثم غادر القاعة."}},
		{"guillemets", "وقال «لن نتراجع!» وأضاف «سنواصل».", []string{"وقال «لن نتراجع!»", "وأضاف «سنواصل»."}},
		{"curly quotes", "He said “No more.” Then silence.", []string{"He said “No more.”", "Then silence."}},
		{"reversed curly quote", "قال “انتهى الأمر.“ وخرج.", []string{"قال “انتهى الأمر.“", "وخرج."}},
		{"quote then comma is not an end", `مضيفا: "ليس من مصلحتنا."، وفقا للموقع.`,
			[]string{`مضيفا: "ليس من مصلحتنا."، وفقا للموقع.`}},
		{"question then lower case", `"Why?" he asked. She shrugged.`, []string{`"Why?" he asked.`, "She shrugged."}},
		{"arabic ellipsis is not an end", "قطع البازل تتقارب.. هل يفجر ترامب برميل البارود؟",
			[]string{"قطع البازل تتقارب.. هل يفجر ترامب برميل البارود؟"}},
		{"english ellipsis before capital", "He waited... Nobody came... and then left.",
			[]string{"He waited...", "Nobody came... and then left."}},
		{"unicode ellipsis", "وانتظر… ثم رحل", []string{"وانتظر… ثم رحل"}},
		{"list number", "1. First point is here. 2. Second one.",
			[]string{"1. First point is here.", "2. Second one."}},
		{"urls and domains", "Visit example.com today. Thanks.", []string{"Visit example.com today.", "Thanks."}},
		{"repeated marks", "ماذا؟! لا أصدق!!! حقا", []string{"ماذا؟!", "لا أصدق!!!", "حقا"}},
		{"bracket after stop", "(This is aside.) Main text.", []string{"(This is aside.)", "Main text."}},
		{"trailing spaces trimmed", "  أهلا.   وسهلا  ", []string{"أهلا.", "وسهلا"}},
		{"arabic dot without space", "المنتشرة في العالم.يسمى الذكر دب", []string{"المنتشرة في العالم.", "يسمى الذكر دب"}},
		{"dotted arabic abbreviation", "ولد عام 300 ق.م في روما.", []string{"ولد عام 300 ق.م في روما."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentenceTexts(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("  first para \n\n\nsecond\r\nthird  \n \n")
	want := []string{"first para", "second", "third"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Paragraphs mismatch (-want +got):\n%s", diff)
	}
	if got := Paragraphs(" \n "); got != nil {
		t.Errorf("Paragraphs(blank) = %q, want nil", got)
	}
}

// checkSpans verifies the invariants every Sentences result must hold.
func checkSpans(t *testing.T, s string, spans []Span) {
	t.Helper()
	prev := 0
	for i, sp := range spans {
		if sp.Start < prev || sp.End <= sp.Start || sp.End > len(s) {
			t.Fatalf("span %d %v out of order or range (prev end %d, len %d) in %q", i, sp, prev, len(s), s)
		}
		if !utf8.ValidString(s) {
			// Only the bounds matter for invalid input.
			prev = sp.End
			continue
		}
		if !utf8.RuneStart(s[sp.Start]) || (sp.End < len(s) && !utf8.RuneStart(s[sp.End])) {
			t.Fatalf("span %d %v splits a rune in %q", i, sp, s)
		}
		txt := sp.In(s)
		if strings.TrimFunc(txt, unicode.IsSpace) != txt {
			t.Fatalf("span %d %q has surrounding space", i, txt)
		}
		prev = sp.End
	}
	// Every non-space rune is covered by some span.
	if utf8.ValidString(s) {
		covered := make([]bool, len(s))
		for _, sp := range spans {
			for k := sp.Start; k < sp.End; k++ {
				covered[k] = true
			}
		}
		for k, r := range s {
			if !unicode.IsSpace(r) && !covered[k] {
				t.Fatalf("rune %q at %d not in any span of %q", r, k, s)
			}
		}
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"", "a. b", "Mr. X. Y", "قال: \"لا.\" ثم", "U.S. The", "..", "…»", "1. 2. 3.",
		"د. م. ق.م", "؟؟؟!", "\r\n\r\n", "a\u2029b", "\xff.\xfe ", "“.“ ”.” «؟»",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSpans(t, s, Sentences(s))
	})
}

func TestSentencesInvariantsOnSeed(t *testing.T) {
	s := "تفاصيل جديدة\n\nالأربعاء 25 نوفمبر 2020 10:01 ص\n\nوقال: \"يجب أخذ المصلحة العليا بعين الاعتبار. ما قيمة استهداف السفارة؟ لذلك يجب وقف الهجمات\".\n"
	spans := Sentences(s)
	checkSpans(t, s, spans)
	if len(spans) != 5 {
		t.Errorf("got %d spans %q, want 5", len(spans), sentenceTexts(s))
	}
}
