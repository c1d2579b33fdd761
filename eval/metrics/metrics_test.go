package metrics

import (
	"math"
	"testing"
	"unicode/utf8"
)

var propTexts = []struct{ name, a, b string }{
	{"en", "The central bank kept interest rates unchanged on Thursday.", "Bright yellow bananas ripen quickly in summer heat."},
	{"en-multiline", "Talks will resume.\nThe minister said so.", "Prices rose sharply.\nFarmers blame drought."},
	{"ar", "أعلنت الحكومة خطة اقتصادية جديدة لخفض البطالة", "هطلت أمطار غزيرة على العاصمة يوم الاثنين"},
}

func rougeOpts() map[string]RougeOptions {
	return map[string]RougeOptions{
		"en":         {Lang: "en"},
		"en-stem":    {Lang: "en", Stem: true},
		"xlsum":      {Lang: "fr"},
		"ar-stem":    {Lang: "ar", Stem: true},
		"ar-norm":    {Lang: "ar", Normalize: true},
		"ar-stem-nm": {Lang: "ar", Stem: true, Normalize: true},
	}
}

func TestRougeProperties(t *testing.T) {
	for _, tc := range propTexts {
		for oname, opt := range rougeOpts() {
			if tc.name == "ar" && isEnglishRouge(opt.Lang) {
				continue // rouge-score has no tokens for Arabic
			}
			t.Run(tc.name+"/"+oname, func(t *testing.T) {
				same := ScoreRouge(tc.a, tc.a, opt)
				for name, p := range map[string]PRF{"R1": same.R1, "R2": same.R2, "RL": same.RL, "RLsum": same.RLsum} {
					if p != (PRF{1, 1, 1}) {
						t.Errorf("identical %s = %+v, want 1", name, p)
					}
				}
				dis := ScoreRouge(tc.a, tc.b, opt)
				if dis.R2.F1 != 0 || dis.RL.F1 > 0.2 {
					t.Errorf("disjoint texts: %+v", dis)
				}
				ab, ba := ScoreRouge(tc.a, tc.b, opt), ScoreRouge(tc.b, tc.a, opt)
				if ab.R1.F1 != ba.R1.F1 || ab.R2.F1 != ba.R2.F1 || ab.RL.F1 != ba.RL.F1 {
					t.Errorf("F not symmetric: %+v vs %+v", ab, ba)
				}
				if ab.R1.Precision != ba.R1.Recall {
					t.Errorf("P(a,b)=%v != R(b,a)=%v", ab.R1.Precision, ba.R1.Recall)
				}
			})
		}
	}
}

func TestRougeDisjointIsZero(t *testing.T) {
	got := ScoreRouge("alpha beta gamma", "delta epsilon zeta", RougeOptions{})
	if got != (Rouge{}) {
		t.Errorf("got %+v, want zero", got)
	}
	got = ScoreRouge("ذهب الولد", "جاءت البنت", RougeOptions{Lang: "ar"})
	if got != (Rouge{}) {
		t.Errorf("ar: got %+v, want zero", got)
	}
}

func TestRougeMultiPicksBestPerType(t *testing.T) {
	hyp := "the cat sat on the mat"
	refs := []string{"a dog sat on a mat", "the cat sat on the mat"}
	got := ScoreRougeMulti(hyp, refs, RougeOptions{})
	if got.R1.F1 != 1 || got.RLsum.F1 != 1 {
		t.Errorf("got %+v, want perfect match from the second ref", got)
	}
	if z := ScoreRougeMulti(hyp, nil, RougeOptions{}); z != (Rouge{}) {
		t.Errorf("no refs: %+v", z)
	}
}

func TestEmptyInputsDoNotPanic(t *testing.T) {
	inputs := []string{"", " ", "\n\n", "...", "\u200b", "؟"}
	for _, a := range inputs {
		for _, b := range inputs {
			for _, opt := range rougeOpts() {
				if r := ScoreRouge(a, b, opt); r != (Rouge{}) {
					t.Errorf("ScoreRouge(%q,%q,%+v) = %+v, want 0", a, b, opt, r)
				}
			}
			for _, tok := range []string{"13a", "intl", "none"} {
				if s := SentenceBLEU(a, []string{b}, BLEUOptions{Tokenize: tok}); s.Score != 0 {
					t.Errorf("BLEU(%q,%q) = %v", a, b, s.Score)
				}
			}
			_ = SentenceChrF(a, []string{b}, ChrFOptions{WordOrder: 2})
			_ = SentenceTER(a, []string{b})
		}
	}
	if s := CorpusBLEU(nil, nil, BLEUOptions{}); s.Score != 0 {
		t.Errorf("empty corpus BLEU = %v", s.Score)
	}
	if s := CorpusChrF(nil, nil, ChrFOptions{}); s != 0 {
		t.Errorf("empty corpus chrF = %v", s)
	}
	if s := CorpusTER(nil, nil); s != 0 {
		t.Errorf("empty corpus TER = %v", s)
	}
	_ = SentenceBLEU("a b c", nil, BLEUOptions{})
	_ = SentenceChrF("a b c", nil, ChrFOptions{})
	_ = SentenceTER("a b c", nil)
}

func TestSacreProperties(t *testing.T) {
	for _, tc := range propTexts {
		t.Run(tc.name, func(t *testing.T) {
			for _, tok := range []string{"13a", "intl", "none"} {
				s := SentenceBLEU(tc.a, []string{tc.a}, BLEUOptions{Tokenize: tok, EffectiveOrder: true})
				if math.Abs(s.Score-100) > 1e-9 {
					t.Errorf("identical BLEU %s = %v", tok, s.Score)
				}
			}
			for _, wo := range []int{0, 2} {
				if s := SentenceChrF(tc.a, []string{tc.a}, ChrFOptions{WordOrder: wo}); math.Abs(s-100) > 1e-9 {
					t.Errorf("identical chrF(%d) = %v", wo, s)
				}
			}
			if s := SentenceTER(tc.a, []string{tc.a}); s != 0 {
				t.Errorf("identical TER = %v", s)
			}
			if s := SentenceBLEU("xx yy zz ww", []string{"aa bb cc dd"}, BLEUOptions{}); s.Score != 0 {
				t.Errorf("disjoint BLEU = %v", s.Score)
			}
			if s := SentenceChrF("xyz", []string{"abc"}, ChrFOptions{}); s != 0 {
				t.Errorf("disjoint chrF = %v", s)
			}
			if s := SentenceTER("xx yy", []string{"aa bb"}); s != 100 {
				t.Errorf("disjoint TER = %v", s)
			}
		})
	}
}

// Corpus scores must equal scores of summed segment statistics, so the
// harness can bootstrap by resampling statistics.
func TestCorpusEqualsSummedStats(t *testing.T) {
	hyps := []string{"the cat sat on the mat", "a quick brown fox", "rain is expected tomorrow in cairo"}
	refs := [][]string{{"the cat is on the mat"}, {"the quick brown fox jumps", "a fast brown fox"}, {"rain expected in cairo tomorrow"}}
	var bs BLEUStats
	var cs ChrFStats
	var ts TERStats
	for i := range hyps {
		bs = bs.Add(BLEUSegmentStats(hyps[i], refs[i], BLEUOptions{}))
		cs = cs.Add(ChrFSegmentStats(hyps[i], refs[i], ChrFOptions{WordOrder: 2}))
		ts = ts.Add(TERSegmentStats(hyps[i], refs[i]))
	}
	if a, b := CorpusBLEU(hyps, refs, BLEUOptions{}), BLEUFromStats(bs, BLEUOptions{}); a != b {
		t.Errorf("BLEU %+v != %+v", a, b)
	}
	if a, b := CorpusChrF(hyps, refs, ChrFOptions{WordOrder: 2}), ChrFFromStats(cs, ChrFOptions{WordOrder: 2}); a != b {
		t.Errorf("chrF %v != %v", a, b)
	}
	if a, b := CorpusTER(hyps, refs), TERFromStats(ts); a != b {
		t.Errorf("TER %v != %v", a, b)
	}
}

func TestKeywordPRF(t *testing.T) {
	tests := []struct {
		name       string
		pred, gold []string
		opt        KeywordOptions
		want       PRF
	}{
		{"exact", []string{"Climate Change", "Cairo"}, []string{"climate change", "Egypt"}, KeywordOptions{}, PRF{0.5, 0.5, 0.5}},
		{"punct-space", []string{"  climate-change!! "}, []string{"climate change"}, KeywordOptions{}, PRF{1, 1, 1}},
		{"dedupe", []string{"cairo", "Cairo", "CAIRO."}, []string{"cairo"}, KeywordOptions{}, PRF{1, 1, 1}},
		{"arabic-normalized", []string{"الأمم المتحدة"}, []string{"الامم المتحده"}, KeywordOptions{}, PRF{1, 1, 1}},
		{"stem-en", []string{"elections"}, []string{"election"}, KeywordOptions{Stem: true}, PRF{1, 1, 1}},
		{"no-stem-en", []string{"elections"}, []string{"election"}, KeywordOptions{}, PRF{}},
		{"stem-ar", []string{"الكتاب", "بالمدرسة"}, []string{"كتاب", "مدرسة"}, KeywordOptions{Stem: true, Lang: "ar"}, PRF{1, 1, 1}},
		{"partial", []string{"interest rates"}, []string{"interest rates policy", "inflation"}, KeywordOptions{Partial: true},
			PRF{2.0 / 3, 1.0 / 3, 2 * (2.0 / 3) * (1.0 / 3) / (2.0/3 + 1.0/3)}},
		{"partial-one-to-one", []string{"bank", "central bank"}, []string{"central bank"}, KeywordOptions{Partial: true}, PRF{0.5, 1, 2.0 / 3}},
		{"both-empty", nil, nil, KeywordOptions{}, PRF{1, 1, 1}},
		{"pred-empty", nil, []string{"x"}, KeywordOptions{}, PRF{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := KeywordPRF(tc.pred, tc.gold, tc.opt)
			if math.Abs(got.Precision-tc.want.Precision) > 1e-12 || math.Abs(got.Recall-tc.want.Recall) > 1e-12 || math.Abs(got.F1-tc.want.F1) > 1e-12 {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestNormalizeArabic(t *testing.T) {
	tests := map[string]string{
		"أإآٱ":         "اااا",
		"مستشفى":       "مستشفي",
		"مدرسة":        "مدرسه",
		"ذَهَبَ":       "ذهب",
		"قـــال":       "قال",
		"hello, world": "hello, world",
	}
	for in, want := range tests {
		if got := NormalizeArabic(in); got != want {
			t.Errorf("NormalizeArabic(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPorterStem(t *testing.T) {
	// Stems of NLTK 3.8's PorterStemmer (NLTK_EXTENSIONS), including the
	// irregular forms and NLTK's departures from the original algorithm.
	tests := map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "tie", "cats": "cat", "feed": "feed",
		"agreed": "agre", "plastered": "plaster", "motoring": "motor", "sing": "sing",
		"conflated": "conflat", "hopping": "hop", "falling": "fall", "filing": "file",
		"happy": "happi", "relational": "relat", "generalization": "gener", "dying": "die",
		"skies": "sky", "news": "news", "proceed": "proceed", "spied": "spi", "died": "die",
		"flies": "fli", "dies": "die", "controll": "control", "archaeology": "archaeolog",
		"electrical": "electr", "hopeful": "hope", "goodness": "good", "adjustment": "adjust",
	}
	for in, want := range tests {
		if got := porterStem(in); got != want {
			t.Errorf("porterStem(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzTokenizers(f *testing.F) {
	for _, s := range []string{"", "The cat sat.", "İSTANBUL 3.5% $1,234", "قالَ الرئيسُ إنَّ ٣٫٥٪", "a\u200bb\u00a0c\n\r\td", "👍🎉 (hi) [x]", "\xff\xfe", "bـcovid-19"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := utf8.ValidString(s)
		check := func(name string, toks []string) {
			for _, tok := range toks {
				if tok == "" {
					t.Fatalf("%s: empty token in %q", name, toks)
				}
				if valid && !utf8.ValidString(tok) {
					t.Fatalf("%s: invalid UTF-8 token %q from %q", name, tok, s)
				}
			}
		}
		check("rouge", rougeScoreTokens(nil, s))
		check("xlsum", xlsumTokens(nil, s, true))
		check("xlsum-lsum", xlsumTokens(nil, s, false))
		for _, tok := range []string{"13a", "intl", "none"} {
			var buf []byte
			check(tok, bleuTokens(nil, s, tok, &buf))
		}
		check("chrf-words", chrfWords(nil, s))
		st := arabicStemmer{}
		for _, w := range xlsumTokens(nil, s, true) {
			if out := st.stem(w); valid && !utf8.ValidString(out) {
				t.Fatalf("arabic stem of %q invalid: %q", w, out)
			}
		}
		for _, w := range rougeScoreTokens(nil, s) {
			_ = porterStem(w)
		}
		r := ScoreRouge(s, "the cat", RougeOptions{Stem: true})
		if r.R1.F1 < 0 || r.R1.F1 > 1 {
			t.Fatalf("R1 out of range: %v", r.R1)
		}
		_ = SentenceTER(s, []string{"the cat sat"})
		refs := []string{"the cat sat. " + s[:len(s)/2], s[len(s)/2:]}
		if !valid {
			return // Go's and Python's views of invalid UTF-8 differ anyway
		}
		for _, tok := range []string{"13a", "intl", "none"} {
			opt := BLEUOptions{Tokenize: tok}
			if a, b := BLEUSegmentStats(s, refs, opt), bleuSegmentStatsSlow(s, refs, opt); a != b {
				t.Fatalf("BLEU %s fast %+v != slow %+v", tok, a, b)
			}
		}
		for _, wo := range []int{0, 2} {
			opt := ChrFOptions{WordOrder: wo}
			a, b := ChrFSegmentStats(s, refs, opt), chrfSegmentStatsSlow(s, refs, opt)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("chrF(%d) fast %v != slow %v", wo, a, b)
				}
			}
		}
	})
}

func TestNormalizeOptionMatchesDiacritics(t *testing.T) {
	hyp, ref := "ذَهَبَ الطَّالِبُ إِلَى المَدْرَسَةِ", "ذهب الطالب الى المدرسه"
	plain := ScoreRouge(hyp, ref, RougeOptions{Lang: "ar"})
	norm := ScoreRouge(hyp, ref, RougeOptions{Lang: "ar", Normalize: true})
	if plain.R1.F1 >= 1 || norm.R1.F1 != 1 || norm.RLsum.F1 != 1 {
		t.Errorf("plain %+v, normalized %+v; want normalization to make them identical", plain.R1, norm)
	}
}

// The scorers keep pooled scratch space; concurrent use must give the same
// results as sequential use (run with -race).
func TestConcurrentUse(t *testing.T) {
	texts := []string{propTexts[0].a, propTexts[0].b, propTexts[1].a, propTexts[2].a, propTexts[2].b}
	type res struct {
		r  Rouge
		b  BLEUScore
		c  float64
		tr float64
	}
	score := func(i int) res {
		h, r := texts[i%len(texts)], texts[(i+1)%len(texts)]
		return res{
			ScoreRouge(h, r, RougeOptions{Lang: "ar", Stem: true}),
			SentenceBLEU(h, []string{r}, BLEUOptions{}),
			SentenceChrF(h, []string{r}, ChrFOptions{WordOrder: 2}),
			SentenceTER(h, []string{r}),
		}
	}
	want := make([]res, 40)
	for i := range want {
		want[i] = score(i)
	}
	got := make([]res, len(want))
	done := make(chan struct{})
	for w := 0; w < 4; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := w; i < len(got); i += 4 {
				got[i] = score(i)
			}
		}()
	}
	for range 4 {
		<-done
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d: concurrent %+v != sequential %+v", i, got[i], want[i])
		}
	}
}
