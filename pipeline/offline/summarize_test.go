package offline

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFlagSentence(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		inPara int
		want   []string
	}{
		{"body sentence", "كشفت مصادر مطلعة تفاصيل جديدة للقاء قائد فيلق القدس برئيس الوزراء العراقي.", 1, nil},
		{"headline", "تفاصيل جديدة للقاء قائد فيلق القدس بالكاظمي وفصائل العراق المسلحة", 1, []string{"headline"}},
		{"last fragment of a paragraph is not a headline", "وقال إن الحوار مستمر بين الطرفين منذ أشهر عدة دون نتيجة", 3, nil},
		{"dateline", "الأربعاء 25 نوفمبر 2020 10:01 ص", 1, []string{"dateline", "short"}},
		{"english dateline", "Wednesday, November 25, 2020 10:01", 1, []string{"dateline", "short"}},
		{"source line", "المصدر | الخليج الجديد + ميدل إيست آي", 1, []string{"boilerplate", "headline", "short"}},
		{"question", "هل يفجر ترامب برميل البارود على إيران في الأسابيع المقبلة؟", 1, []string{"question"}},
		{"quote only", `"الرياضيات، والعلوم، والتاريخ، والموت".`, 1, []string{"short", "quote"}},
		{"short", "وانتهى الاجتماع.", 2, []string{"short"}},
		{"read more", "Read more: Iraq's militias and the US", 1, []string{"boilerplate", "headline", "short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, words := termBag(tt.s, "ar", map[string]string{})
			got := flagSentence(tt.s, words, tt.inPara, 8)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("flagSentence(%q) (-want +got):\n%s", tt.s, diff)
			}
		})
	}
}

func TestSummarizeTrailers(t *testing.T) {
	paras := []string{
		"أعلنت الحكومة العراقية اليوم عن خطة جديدة لإعادة إعمار المدن المتضررة من الحرب.",
		"وقال المتحدث باسم الحكومة إن الخطة تشمل بناء آلاف المنازل والمدارس والمستشفيات.",
		"وأضاف أن التمويل سيأتي من الموازنة العامة ومن قروض دولية ميسرة.",
		"اقرأ أيضا",
		"الحكومة العراقية تعلن خطة جديدة لإعادة الإعمار في المدن المتضررة.",
		"مقتل ثلاثة في هجوم على قاعدة عسكرية",
	}
	all := Summarize(paras, "ar", SummaryOptions{Sentences: 100})
	if len(all) != 6 {
		t.Fatalf("got %d sentences, want 6", len(all))
	}
	for _, s := range all[3:] {
		if !slices.Contains(s.Flags, "trailer") && !slices.Contains(s.Flags, "boilerplate") {
			t.Errorf("sentence %q after \"اقرأ أيضا\" has flags %v", s.Text, s.Flags)
		}
	}
	got := Summarize(paras, "ar", func() SummaryOptions { o := DefaultSummaryOptions(); o.Sentences = 3; return o }())
	var texts []string
	for _, s := range got {
		texts = append(texts, s.Text)
	}
	if diff := cmp.Diff(paras[:3], texts); diff != "" {
		t.Errorf("3-sentence summary (-want +got):\n%s", diff)
	}
}

func TestPlainTextRankPrefersCentralSentence(t *testing.T) {
	paras := []string{
		"صباح الخير.",
		"أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في العاصمة.",
		"وقالت وزارة الصحة إن الإصابات الجديدة بفيروس كورونا تركزت في العاصمة.",
		"وأكدت وزارة الصحة أن فيروس كورونا ينتشر بسرعة في العاصمة والمدن.",
		"الطقس مشمس.",
	}
	got := Summarize(paras, "ar", PlainTextRankOptions(1))
	if len(got) != 1 || got[0].Index < 1 || got[0].Index > 3 {
		t.Errorf("plain TextRank picked %+v, want one of the three central sentences", got)
	}
	if got[0].Rank != 1 {
		t.Errorf("picked sentence rank %v, want 1 (the maximum)", got[0].Rank)
	}
}

func TestSummarizeRedundancy(t *testing.T) {
	paras := []string{
		"أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في العاصمة بغداد.",
		"أعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في العاصمة بغداد اليوم.",
		"وتعمل السلطات على توفير اللقاحات للمواطنين في جميع المحافظات.",
	}
	o := DefaultSummaryOptions()
	o.Sentences = 2
	got := Summarize(paras, "ar", o)
	if len(got) != 2 || got[0].Index != 0 || got[1].Index != 2 {
		t.Errorf("got %+v, want sentences 0 and 2 (1 repeats 0)", got)
	}
}
