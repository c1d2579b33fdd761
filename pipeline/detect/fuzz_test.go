package detect

import (
	"math"
	"testing"
)

func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"", "\xff", "قال رئيس الوزراء", "wesh 3lach", "Il-Ministru għall-Affarijiet",
		"ئینگڵیش بۆ", "mixed عربي and English\nنص", "😂 😂", "٢٠٢٠", "@user http://x.y/z",
		"a\u200e\u200fب", "ma3lich\n\n\nخلاص",
	} {
		f.Add(s)
	}
	d := testDetector(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := d.Detect(s)
		if got.Confidence < 0 || got.Confidence > 1 || math.IsNaN(got.Confidence) {
			t.Fatalf("Confidence %v out of [0, 1]", got.Confidence)
		}
		if got.Lang == "" || got.Script == "" {
			t.Fatalf("empty Lang or Script: %+v", got)
		}
		var sum float64
		for _, sh := range got.Shares {
			if sh.Share < 0 || math.IsNaN(sh.Share) {
				t.Fatalf("bad share %+v", sh)
			}
			sum += sh.Share
		}
		if sum > 1+1e-9 {
			t.Fatalf("shares sum to %v", sum)
		}
		if got.Lang == Undetermined && got.Confidence != 0 {
			t.Fatalf("und with confidence %v", got.Confidence)
		}
	})
}
