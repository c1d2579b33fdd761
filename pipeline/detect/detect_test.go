package detect

import (
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tarjama/tarjama/pipeline"
)

// Building a Detector loads lingua's models (seconds); every test in the
// binary shares one.
var (
	sharedOnce sync.Once
	shared     *Detector
	sharedErr  error
)

func testDetector(tb testing.TB) *Detector {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = New(Options{}) })
	if sharedErr != nil {
		tb.Fatalf("New: %v", sharedErr)
	}
	return shared
}

func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile("../../testdata/lid/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func TestDetect(t *testing.T) {
	d := testDetector(t)
	mixed := readTestdata(t, "qaani-kadhimi-2020-11-25.ar.txt")[:1500] + "\n\n" +
		"The meeting took place at the home of Hadi al-Amiri, the head of the Badr Organisation, according to a commander of a Shia armed faction.\n" +
		"Qaani asked the factions to keep their attacks on hold until the new American administration takes office."
	tests := []struct {
		name    string
		text    string
		lang    string
		script  string
		minConf float64
		maxConf float64 // 0: no upper bound
	}{
		{"seed article", readTestdata(t, "qaani-kadhimi-2020-11-25.ar.txt"), "ar", "Arab", 0.9, 0},
		{"seed translation", readTestdata(t, "qaani-kadhimi-2020-11-25.en.txt"), "en", "Latn", 0.9, 0},
		{"english paragraph", "The prime minister met the commander of the Quds Force in Baghdad on Wednesday, sources said, and asked the armed factions to stop their attacks on American forces.", "en", "Latn", 0.8, 0},
		{"french paragraph", "Le Premier ministre irakien a rencontré mercredi à Bagdad le commandant de la force Al-Qods, selon des sources proches du dossier, qui ont décrit une réunion tendue.", "fr", "Latn", 0.8, 0},
		{"arabic sentence", "قال رئيس الوزراء العراقي إن الحكومة ستعمل على حصر السلاح بيد الدولة.", "ar", "Arab", 0.8, 0},
		{"persian", "وزیر امور خارجه ایران روز چهارشنبه در سفر به بغداد با نخست وزیر عراق دیدار و گفتگو کرد.", "fa", "Arab", 0.6, 0},
		{"persian ntrex", "مدیر منطقه David Thompson می‌گوید که این منطقه، قلمرویی ایده‌آل برای آنهاست.", "fa", "Arab", 0.5, 0},
		{"urdu", "اور اس کا مطلب ہے غلطیوں کا پتلا خود جونی انگلش کو سامنے لانا ہے، جو اب کسی پوش علاقے میں ایک اسکول ماسٹر کے طور پر ملازم ہے۔", "ur", "Arab", 0.6, 0},
		{"sorani", "ئینگڵیش بۆ دانیشتنێکی پاساوهێنانەوەی فریاگوزاری بانگ دەکرێت بۆ وایتهال و لەگەڵ هاریکاری کۆنی خۆی کە هەر لە کۆنەوەی بێزاری کردووە.", "ckb", "Arab", 0.6, 0},
		{"pashto", "دا ماسپښین هغه ملګري چې په دوی باور لري چې مقتوله پېژني، سیمې ته ورسېدلی تر څو پوښتنه وکړي چې نن سهار یې جسد چېرې وموندل شو.", "ps", "Arab", 0.6, 0},
		{"uyghur", "گاۋانوگ كېڭەش پالاتادا ئەڭ ئاز بولغاندا 50 بېلەتكە ئېرىشەلەمدۇ-يوق بۇ تېخى ئېنىق ئەمەس.", "ug", "Arab", 0.6, 0},
		{"sindhi", "وڪيل وڌيڪ ٻڌايو ته ٽارگيٽيٽ جي داخلا جي پاليسي کي آمريڪا جي معيشت کي نقسان پهچايو آھي.", "sd", "Arab", 0.6, 0},
		{"hebrew", "אביזרים אחרים בגודל מפורז כללו אבטיחים מעוטרים, כובע קוסם ואפילו אננס.", "he", "Hebr", 0.9, 0},
		{"maltese", "Il-Ministru għall-Affarijiet Barranin tal-Korea ta’ Fuq Ri Yong Ho jgħid li n-nazzjon tiegħu qatt mhu se jiddiżarma.", "mt", "Latn", 0.6, 0},
		{"kurmanji", "Dêr, wî lê zêde kir, dê cîhê dêran ji hêla avahiyên apartmanên bi qatên milkî bên girtin ku nava wan tijjî mirovên bi cûrekî bin.", "kmr", "Latn", 0.6, 0},
		{"arabizi maghrebi", "wesh khouya 3lach ma jitch lbareh? mazal rak f lkhedma?", Arabizi, "Latn", 0.6, 0},
		{"arabizi egyptian", "ana mesh 3aref a3mel eh, enta fen delwa2ti ya 7abibi?", Arabizi, "Latn", 0.6, 0},
		{"arabizi formulas", "ma3lich inchallah kolchi ykoun mlih, bzaf dyal nas ma fhmouch", Arabizi, "Latn", 0.6, 0},
		{"greek", "Ο πρωθυπουργός συναντήθηκε με τον διοικητή στη Βαγδάτη.", "el", "Grek", 0.9, 0},
		{"chinese", "伊拉克总理周三在巴格达会见了圣城旅指挥官。", "zh", "Hani", 0.9, 0},
		{"russian", "Премьер-министр Ирака встретился в среду в Багдаде с командующим силами Кудс.", "ru", "Cyrl", 0.6, 0},
		{"mixed arabic english", mixed, "ar", "Arab", 0.8, 0},
		{"empty", "", Undetermined, "Zyyy", 0, 0},
		{"spaces", " \n\t \n", Undetermined, "Zyyy", 0, 0},
		{"digits", "2020 11 25 10:01 — 3.14", Undetermined, "Zyyy", 0, 0},
		{"emoji", "😂 😂 🥰 ❤️ 👑", Undetermined, "Zyyy", 0, 0},
		{"arabic digits", "٢٠٢٠ ١١ ٢٥", Undetermined, "Zyyy", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := d.Detect(tc.text)
			if got.Lang != tc.lang {
				t.Fatalf("Lang = %q, want %q (%+v)", got.Lang, tc.lang, got)
			}
			if got.Script != tc.script {
				t.Errorf("Script = %q, want %q", got.Script, tc.script)
			}
			if got.Confidence < tc.minConf {
				t.Errorf("Confidence = %.3f, want ≥ %.2f", got.Confidence, tc.minConf)
			}
			if tc.lang == Undetermined && got.Confidence != 0 {
				t.Errorf("Confidence = %v for und, want 0", got.Confidence)
			}
			checkShares(t, got)
		})
	}
}

func checkShares(t *testing.T, got pipeline.Detection) {
	t.Helper()
	if got.Confidence < 0 || got.Confidence > 1 || math.IsNaN(got.Confidence) {
		t.Errorf("Confidence = %v, want in [0, 1]", got.Confidence)
	}
	if got.Lang == Undetermined && len(got.Shares) == 0 {
		return
	}
	var sum float64
	found := false
	for i, s := range got.Shares {
		sum += s.Share
		if i > 0 && s.Share > got.Shares[i-1].Share {
			t.Errorf("Shares not sorted: %+v", got.Shares)
		}
		found = found || s.Lang == got.Lang
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("Shares sum to %v, want 1: %+v", sum, got.Shares)
	}
	if !found {
		t.Errorf("Lang %q is not among Shares %+v", got.Lang, got.Shares)
	}
}

func TestDetectMixedShares(t *testing.T) {
	d := testDetector(t)
	ar := "قال مسؤول عراقي إن الاجتماع تناول التوتر بين الفصائل المسلحة والقوات الأمريكية في العراق خلال الأسابيع الأخيرة."
	en := "An Iraqi official said the meeting dealt with the tension between the armed factions and American forces."
	tests := []struct {
		name    string
		text    string
		lang    string
		other   string
		minLead float64 // minimum share of lang
		maxLead float64
	}{
		{"three arabic one english", strings.Join([]string{ar, ar, ar, en}, "\n"), "ar", "en", 0.6, 0.85},
		{"one arabic three english", strings.Join([]string{ar, en, en, en}, "\n"), "en", "ar", 0.6, 0.85},
		{"same paragraph", ar + " " + en + " " + ar, "ar", "en", 0.55, 0.8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := d.Detect(tc.text)
			if got.Lang != tc.lang {
				t.Fatalf("Lang = %q, want %q (%+v)", got.Lang, tc.lang, got)
			}
			checkShares(t, got)
			shares := map[string]float64{}
			for _, s := range got.Shares {
				shares[s.Lang] = s.Share
			}
			if s := shares[tc.lang]; s < tc.minLead || s > tc.maxLead {
				t.Errorf("share of %s = %.2f, want in [%.2f, %.2f]", tc.lang, s, tc.minLead, tc.maxLead)
			}
			if shares[tc.other] < 1-tc.maxLead-0.05 {
				t.Errorf("share of %s = %.2f, want ≥ %.2f: %+v", tc.other, shares[tc.other], 1-tc.maxLead-0.05, got.Shares)
			}
		})
	}
}

// An Arabic text carrying a few foreign letters keeps its label but loses
// confidence; a minority-language text never comes out as confident Arabic.
func TestDetectConfidenceFallsWithContradictoryLetters(t *testing.T) {
	d := testDetector(t)
	clean := d.Detect("قال رئيس الوزراء العراقي إن الحكومة ستعمل على حصر السلاح بيد الدولة.")
	// The same sentence with one Sorani letter: ڕ for ر.
	odd := d.Detect("قال ڕئيس الوزراء العراقي إن الحكومة ستعمل على حصر السلاح بيد الدولة.")
	if clean.Lang != "ar" {
		t.Fatalf("clean: %+v", clean)
	}
	if odd.Lang == "ar" && odd.Confidence >= clean.Confidence {
		t.Errorf("one Sorani letter: confidence %.3f, want below %.3f", odd.Confidence, clean.Confidence)
	}
}

func TestDetectInvalidUTF8(t *testing.T) {
	d := testDetector(t)
	for _, s := range []string{"\xff\xfe\xfd", "قال \xff رئيس الوزراء العراقي", "hello \xc3\x28 world", string([]byte{0xd8})} {
		got := d.Detect(s) // must not panic
		checkShares(t, got)
	}
	if got := d.Detect("قال \xff رئيس الوزراء العراقي إن الحكومة ستعمل"); got.Lang != "ar" {
		t.Errorf("Arabic with a bad byte: %+v", got)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr bool
	}{
		{"unknown code", Options{Languages: []string{"ar", "xx"}}, true},
		{"one language", Options{Languages: []string{"ar"}}, true},
		{"empty list", Options{Languages: []string{}}, true},
		{"duplicates only", Options{Languages: []string{"ar", "ar"}}, true},
		{"small set", Options{Languages: []string{"ar", "en"}}, false},
		{"low and lazy", Options{Languages: []string{"ar", "fa", "en"}, Accuracy: AccuracyLow, Lazy: true}, false},
		{"high, Arabic script only", Options{Languages: []string{"ar", "fa", "ur"}, Accuracy: AccuracyHigh}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(tc.opts)
			if (err != nil) != tc.wantErr {
				t.Fatalf("New: err = %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil {
				if got := d.Detect("قال رئيس الوزراء العراقي إن الحكومة ستعمل"); got.Lang != "ar" {
					t.Errorf("ar+en detector: %+v", got)
				}
			}
		})
	}
}

func TestDetectConcurrent(t *testing.T) {
	d := testDetector(t)
	texts := []struct{ want, text string }{
		{"ar", "قال رئيس الوزراء العراقي إن الحكومة ستعمل على حصر السلاح بيد الدولة."},
		{"en", "The prime minister said the government would bring all weapons under state control."},
		{Arabizi, "wesh khouya 3lach ma jitch lbareh? mazal rak f lkhedma?"},
		{"ckb", "ئینگڵیش بۆ دانیشتنێکی پاساوهێنانەوەی فریاگوزاری بانگ دەکرێت"},
		{"fr", "Le Premier ministre a déclaré que le gouvernement placerait toutes les armes sous le contrôle de l'État."},
		{Undetermined, "123 456"},
		{Undetermined, ""},
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				for _, tc := range texts {
					if got := d.Detect(tc.text).Lang; got != tc.want {
						t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestIsDigitWord(t *testing.T) {
	tests := map[string]bool{
		"3lach": true, "7abibi": true, "ma3lich": true, "ta3": true, "sba7": true,
		"a7san": true, "delwa2ti": true, "2awi": true, "3la": true,
		"4g": false, "10th": false, "2nd": false, "covid19": false, "numero46": false,
		"2020": false, "100km": false, "5th": false, "abc": false, "iphone7": false,
	}
	for w, want := range tests {
		if got := isDigitWord(w); got != want {
			t.Errorf("isDigitWord(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestArabiziScore(t *testing.T) {
	tests := []struct {
		text     string
		min, max float64
	}{
		{"wesh khouya 3lach ma jitch lbareh", 0.4, 1},
		{"The minister said on Wednesday that talks would continue", 0, 0.1},
		{"Le ministre a déclaré mercredi que les discussions continueraient", 0, 0.1},
		{"Scores: 4g, 10th place, covid19 cases rose 25%", 0, 0.1},
	}
	for _, tc := range tests {
		s := newArabiziFeatures(tc.text).score()
		if s < tc.min || s > tc.max {
			t.Errorf("score(%q) = %.2f, want in [%.2f, %.2f]", tc.text, s, tc.min, tc.max)
		}
	}
}
