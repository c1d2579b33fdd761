package eval

import (
	"strings"
	"testing"
)

func TestEntitySupport(t *testing.T) {
	src := `Iran's Quds Force commander Esmail Qaani met Prime Minister Mustafa al-Kadhimi in Baghdad on 25 November, a day after 3 rockets hit the Green Zone. The deal cost $2,100 million. He called it "a red line".`
	tests := []struct {
		name, summary string
		want          float64
	}{
		{"all supported", "Qaani met Kadhimi in Baghdad. Three rockets hit the Green Zone.", 1},
		{"invented name", "Qaani met Kadhimi in Baghdad. He also met Putin.", 0.5},
		{"invented number", "Qaani met Kadhimi on 26 November.", 0},
		{"number with separators", "The deal cost 2100 million dollars.", 1},
		{"arabic-indic digits", "Qaani met Kadhimi after ٣ rockets.", 1},
		{"first word not checked", "Yesterday Qaani met Kadhimi.", 1},
		{"quoted name", `He called it "a red line". He called it "a blue line".`, 0.5},
		{"case-insensitive", "The Quds force commander met the prime minister.", 1},
	}
	for _, tc := range tests {
		got, ok := EntitySupport(tc.summary, src)
		if !ok || got != tc.want {
			t.Errorf("%s: EntitySupport(%q) = %g, %t; want %g", tc.name, tc.summary, got, ok, tc.want)
		}
	}
	if _, ok := EntitySupport("   ", src); ok {
		t.Error("empty summary scored")
	}
	// An Arabic summary checked against its Arabic source: numbers only.
	ar := "التقى قاآني الكاظمي بعد سقوط ٣ صواريخ."
	if v, ok := EntitySupport(ar, "سقطت 3 صواريخ على المنطقة الخضراء"); !ok || v != 1 {
		t.Errorf("Arabic summary: %g %t", v, ok)
	}
	if v, _ := EntitySupport(ar, "سقطت 4 صواريخ"); v != 0 {
		t.Errorf("Arabic summary with a wrong number: %g", v)
	}
}

func TestWordDiff(t *testing.T) {
	got := wordDiff("the cat sat on the mat", "the dog sat on a mat")
	want := "the ~~cat~~ **dog** sat on ~~the~~ **a** mat"
	if got != want {
		t.Errorf("wordDiff = %q, want %q", got, want)
	}
	if got := wordDiff("a *b* c", "a *b* c"); strings.Contains(got, "~~") || !strings.Contains(got, `\*b\*`) {
		t.Errorf("escaping: %q", got)
	}
}

func TestScriptLang(t *testing.T) {
	tests := map[string]string{
		"The Quds Force":            "en",
		"فيلق القدس":                "ar",
		"قال Trump إن الحرب قادمة":  "ar",
		"Trump said الحرب":          "en",
		"2020 ١٢":                   "en",
		"Москва":                    "und",
		"":                          "en",
		"Élysée à Paris, c'est ça.": "en",
	}
	for in, want := range tests {
		if got := ScriptLang(in); got != want {
			t.Errorf("ScriptLang(%q) = %q, want %q", in, got, want)
		}
	}
}
