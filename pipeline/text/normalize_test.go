package text

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"harakat", "كَتَبَ الطَّالِبُ", "كتب الطالب"},
		{"tanwin and shadda", "شكراً جزيلاً مُحَمَّدٌ", "شكرا جزيلا محمد"},
		{"superscript alef", "هٰذا", "هذا"},
		{"tatweel", "الكـــاظمي", "الكاظمي"},
		{"alef variants", "أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"},
		{"alef maqsura", "مصطفى على", "مصطفي علي"},
		{"ta marbuta", "المنطقة الخضراء", "المنطقه الخضراء"},
		{"hamza on waw and ya kept", "مؤتمر رئيس", "مؤتمر رئيس"},
		{"arabic-indic digits", "٢٠٢٠ و۱۴", "2020 و14"},
		{"latin lower", "Quds FORCE", "quds force"},
		{"zero width", "قا\u200cني", "قاني"},
		{"madda alef in name", "قآني", "قاني"},
		{"punctuation kept", "«قآني»، قال.", "«قاني»، قال."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"arabic with quotes", `قائد فيلق القدس "إسماعيل قآني" برئيس`, []string{"قائد", "فيلق", "القدس", "إسماعيل", "قآني", "برئيس"}},
		{"numbers stay whole", "10:01 و2.5 و1,000 و٢٫٥", []string{"10:01", "و2.5", "و1,000", "و٢٫٥"}},
		{"sentence dot splits", "end. Next", []string{"end", "Next"}},
		{"hyphen splits", "بي إم-21 al-Kadhimi", []string{"بي", "إم", "21", "al", "Kadhimi"}},
		{"apostrophe in latin", "don't O'Brien 'quoted'", []string{"don't", "O'Brien", "quoted"}},
		{"diacritics stay in token", "الطَّالِبُ", []string{"الطَّالِبُ"}},
		{"clitic lam with tatweel", `لـ"الكاظمي"`, []string{"لـ", "الكاظمي"}},
		{"empty", " ،. ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks := Tokens(tt.in)
			var got []string
			for _, tok := range toks {
				if tt.in[tok.Start:tok.End] != tok.Text {
					t.Errorf("token %q offsets %d:%d do not match", tok.Text, tok.Start, tok.End)
				}
				got = append(got, tok.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Tokens(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestIsStopWord(t *testing.T) {
	tests := []struct {
		lang, word string
		want       bool
	}{
		{"ar", "في", true},
		{"ar", "وفي", true},
		{"ar", "فإن", true},
		{"ar", "إلى", true},
		{"ar", "الَّتِي", true},
		{"ar", "قال", true},
		{"ar", "الكاظمي", false},
		{"ar", "فيلق", false},
		{"ar", "القدس", false},
		{"en", "The", true},
		{"en", "Iraq", false},
		{"ar-EG", "من", true},
		{"fr", "le", false},
	}
	for _, tt := range tests {
		if got := IsStopWord(tt.lang, tt.word); got != tt.want {
			t.Errorf("IsStopWord(%q, %q) = %v, want %v", tt.lang, tt.word, got, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	tests := []struct {
		name     string
		lang     string
		a, b     string
		sameStem bool
	}{
		{"en plural", "en", "factions", "faction", true},
		{"en verb", "en", "warned", "warning", true},
		{"en different", "en", "rocket", "rock", false},
		{"ar diacritics ignored", "ar", "الكاظميُّ", "الكاظمي", true},
		{"ar definite article", "ar", "المسلحة", "مسلحة", true},
		{"ar different words", "ar", "صواريخ", "سفارة", false},
		{"other language normalizes only", "fr", "Élan", "élan", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa, sb := Stem(tt.lang, tt.a), Stem(tt.lang, tt.b)
			if (sa == sb) != tt.sameStem {
				t.Errorf("Stem(%q)=%q, Stem(%q)=%q; same=%v, want %v", tt.a, sa, tt.b, sb, sa == sb, tt.sameStem)
			}
		})
	}
}

func TestLightStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"الكاظمي", "كاظمي"},
		{"والكاظمي", "كاظمي"},
		{"بالكاظمي", "كاظمي"},
		{"للحكومه", "حكومه"},
		{"وزير", "وزير"},      // too short to lose its waw
		{"والعراق", "عراق"},   // conjunction + article
		{"وواشنطن", "واشنطن"}, // conjunction only
		{"ال", "ال"},
		{"الى", "الى"}, // would leave one letter
	}
	for _, tt := range tests {
		if got := LightStem(tt.in); got != tt.want {
			t.Errorf("LightStem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if diff := cmp.Diff([]string{"قاني", "برييس"}, Words("قآني برئيس")); diff == "" {
		t.Errorf("Words should keep hamza on ya")
	}
}
