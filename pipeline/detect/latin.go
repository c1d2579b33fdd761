package detect

import (
	"strings"
	"unicode"
)

// Rules for Latin-script text that lingua-go cannot name: Arabizi (Arabic
// written in Latin letters and digits), Maltese and Northern Kurdish.

// arabiziLexicon holds very frequent Arabizi words (Maghrebi, Egyptian,
// Levantine and Gulf spellings) with a weight: 1 for words that are not
// English, French or Spanish words, less for words that are ("la", "ana",
// "bas", "ya" are left out: too common elsewhere).
var arabiziLexicon = map[string]float64{
	// God, greetings, formulas.
	"inchallah": 1, "inshallah": 1, "inchalah": 1, "inshalla": 1, "nchallah": 1,
	"nchalah": 1, "inchaallah": 1, "wallah": 1, "wellah": 1, "walah": 1,
	"wallahi": 1, "yallah": 1, "yalla": 1, "hamdoulah": 1, "hamdullah": 1,
	"hamdulillah": 1, "hamdolah": 1, "el7amdulilah": 1, "alhamdulillah": 1,
	"mashallah": 1, "machallah": 1, "mabrouk": 1, "mabrook": 1, "rabi": 0.8,
	"rabbi": 0.6, "allahouma": 1, "allahoma": 1, "yarabi": 1, "yarab": 1,
	"salam": 0.5, "slm": 1, "sahit": 1, "sahitek": 1, "saha": 0.6,
	"ahlan": 1, "ahla": 0.8, "habibi": 1, "habibti": 1, "7abibi": 1,
	"tahya": 1, "yahdik": 1, "meskine": 0.8, "miskin": 0.8,
	// Pronouns.
	"ana": 0.3, "enta": 1, "inta": 1, "nta": 1, "anta": 0.8, "enti": 1,
	"inti": 1, "nti": 1, "howa": 1, "houwa": 1, "huwa": 1, "hiya": 0.8,
	"homa": 1, "houma": 1, "huma": 1, "hna": 1, "7na": 1, "e7na": 1,
	"ehna": 1, "ntoma": 1, "ntouma": 1, "ntuma": 1, "ani": 0.5, "rani": 1,
	"rana": 0.6, "rahou": 1, "raho": 1, "rahi": 1, "rahoum": 1, "rahom": 1,
	// Frequent function words.
	"wach": 1, "wesh": 1, "wech": 1, "wash": 0.3, "kifach": 1, "kifash": 1,
	"kifah": 1, "kifesh": 1, "kif": 0.8, "chkoun": 1, "chkon": 1, "chkun": 1,
	"bach": 1, "bech": 1, "bash": 0.3, "kima": 1, "kayen": 1, "kayn": 1,
	"kain": 0.8, "makanch": 1, "makanche": 1, "makach": 1, "makache": 1,
	"machi": 1, "mashi": 1, "mich": 1, "mech": 1, "mish": 1, "msh": 1,
	"mesh": 0.8, "mafi": 1, "mafish": 1, "mafeesh": 1, "hada": 1, "hadi": 1,
	"hadak": 1, "hadik": 1, "hado": 1, "hadou": 1, "hadchi": 1, "had": 0.5,
	"hak": 0.5, "hakda": 1, "hakka": 1, "keda": 1, "kda": 1, "kaman": 1,
	"kamen": 1, "kteer": 1, "ktir": 1, "ktiir": 1, "bzaf": 1, "bezaf": 1,
	"bezzaf": 1, "bzzaf": 1, "chwiya": 1, "chwia": 1, "shwaya": 1,
	"shwayya": 1, "ghir": 1, "ghi": 0.5, "bark": 0.3, "barka": 1, "walou": 1,
	"walo": 1, "wala": 0.8, "wla": 1, "walla": 0.6, "wela": 1, "lazem": 1,
	"lazim": 1, "lazm": 1, "ya3ni": 1, "yani": 0.8, "ya3ne": 1, "yaani": 1,
	"bas": 0.2, "bss": 1, "bs": 0.8, "shu": 1, "shou": 1, "chou": 0.6,
	"chu": 0.6, "sho": 0.8, "chno": 1, "chnou": 1, "chnowa": 1, "aywa": 1,
	"aiwa": 1, "la2": 1, "tayeb": 1, "tayyeb": 1, "tab": 0.3, "khalas": 1,
	"5alas": 1, "5ales": 1, "khlas": 1, "lakin": 1, "walakin": 1, "bass": 0.2,
	"ezay": 1, "izay": 1, "ezzay": 1, "leh": 1, "leih": 1, "lih": 0.5,
	"delwa2ti": 1, "dlw2ty": 1, "awi": 1, "2awi": 1, "awy": 1, "gamed": 1,
	"gamda": 1, "bgd": 1, "bgad": 1, "bgad2": 1, "ashan": 1, "3ashan": 1,
	"3shan": 1, "eno": 1, "enno": 1, "inno": 1, "haga": 1, "7aga": 1,
	"eza": 1, "iza": 1, "law": 0.3, "lokan": 1, "loukan": 1, "lukan": 1,
	"kont": 1, "kunt": 1, "kan": 0.4, "kanet": 1, "kanou": 1, "dima": 1,
	"daima": 1, "daymen": 1, "mara": 0.5, "marra": 1, "koul": 1, "kol": 0.6,
	"kolchi": 1, "koulchi": 1, "kulshi": 1, "fiha": 1, "fih": 0.8, "fiya": 1,
	"3la": 1, "3ala": 1, "3lik": 1, "3lih": 1, "m3a": 1, "m3ak": 1,
	"ma3a": 1, "ta3": 1, "nta3": 1, "mta3": 1, "dyal": 1, "dial": 0.6,
	"diali": 1, "dyali": 1, "fel": 0.6, "fil": 0.3, "bel": 0.3, "mel": 0.4,
	"lel": 0.6, "mn": 0.6, "men": 0.2, "min": 0.2, "illa": 0.6, "ila": 0.4,
	"hata": 0.8, "7ata": 1, "7atta": 1, "hatta": 1, "bla": 0.6, "bila": 0.6,
	"yakhi": 1, "ykoun": 1, "ykon": 1, "tkoun": 1, "nkoun": 1, "rouh": 1,
	"rou7": 1, "ro7": 1, "diri": 1, "dir": 0.6, "ndir": 1, "ndiro": 1,
	"bghit": 1, "bghina": 1, "nheb": 1, "n7eb": 1, "nhebek": 1, "n7ebek": 1,
	"bidi": 1, "baddi": 1, "biddi": 1, "badi": 0.6, "3ayez": 1, "3awez": 1,
	"3awza": 1, "3ayz": 1, "mlih": 1, "mli7": 1, "mli7a": 1, "mnih": 1,
	"mni7": 1, "mzyan": 1, "mezyan": 1, "zwin": 1, "zina": 0.5, "kbir": 1,
	"sghir": 1, "khouya": 1, "khoya": 1, "khou": 0.6, "khti": 1, "khtee": 1,
	"yemma": 1, "yema": 1, "yamma": 1, "omi": 0.6, "ommi": 1, "baba": 0.3,
	"wlad": 1, "ouled": 1, "wled": 1, "nass": 0.8, "ness": 0.5, "blad": 1,
	"bled": 0.8, "lblad": 1, "lbled": 1, "bladi": 1, "nhar": 1, "lyoum": 1,
	"lyoum2": 1, "elyoum": 1, "lyom": 1, "ghodwa": 1, "ghedwa": 1, "draham": 1,
	"drahem": 1, "zkara": 1, "mazal": 1, "mazel": 1, "mazel2": 1, "ma3lich": 1,
	"ma3lish": 1, "maalich": 1, "maalesh": 1, "3lach": 1, "3lah": 1, "3lech": 1,
	"alach": 1, "3lash": 1, "wa7ed": 1, "wahed": 1, "wa7d": 1, "wahad": 1,
	"wahda": 1, "wa7da": 1, "aktar": 0.8, "aktr": 1, "ahsan": 1, "a7san": 1,
	"a7sn": 1, "hal2": 1, "hala2": 1, "halla2": 1, "hallaa": 1, "hal": 0.3,
	"hala": 0.3, "yaa": 0.3, "ya5i": 1, "yakhti": 1, "ykhalik": 1, "w9ila": 1,
	"sa7a": 1, "sa7": 1, "saha2": 1, "bzef": 1, "tani": 0.6, "kho": 0.6,
	"3am": 1, "3ad": 1, "ba3d": 1, "kteeer": 1, "beddi": 1,
	"shi": 0.6, "chi": 0.5, "ashi": 1, "achi": 0.6, "eh": 0.3, "ah": 0.1,
	"wa": 0.4, "fi": 0.3, "ma": 0.1, "li": 0.2, "ki": 0.3, "da": 0.2,
	"di": 0.1, "al": 0.2, "el": 0.3, "w": 0.3, "f": 0.3, "l": 0.2,
	"b": 0.2, "o": 0.1, "hahaha": 0.1,
	// Egyptian and Levantine.
	"zay": 1, "zai": 0.8, "helw": 1, "helwa": 1, "7elw": 1, "7elwa": 1,
	"aady": 1, "3ady": 1, "3adi": 1, "fen": 0.8, "feen": 1, "fein": 1,
	"ezayak": 1, "ezayek": 1, "izayak": 1, "eshta": 1, "nefsy": 1,
	"nefsi": 1, "ooli": 1, "2oli": 1, "2olly": 1, "teslam": 1, "shukran": 1,
	"shokran": 1, "choukran": 1, "yslamo": 1, "bahebak": 1, "bahebek": 1,
	"ba7ebak": 1, "ba7ebek": 1, "omaal": 1, "gedan": 1, "gdn": 1, "awiii": 1,
	"leeh": 1, "lehh": 1, "bardo": 1, "bardu": 1, "wallahy": 1, "lessa": 1,
	"lesa": 1, "ba2a": 1, "kwayes": 1, "kwayyes": 1, "kwais": 1,
	"mabsoot": 1, "hayati": 1, "albi": 0.8, "2albi": 1, "alby": 1,
	"3omri": 1, "tamam": 1, "mashy": 1, "emta": 1, "imta": 1, "meen": 1,
	"miin": 1, "sahby": 1, "sa7by": 1, "sahbi": 1, "sa7bi": 1, "ente": 1,
	"enty": 1, "nty": 1, "ayez": 1, "ayza": 1, "3ayza": 1, "hena": 1,
	"henak": 1, "hnak": 1, "tab3an": 1, "akid": 1, "akeed": 1, "mafroo3": 1,
	"benti": 1, "ebni": 1, "yabni": 1, "keteer": 1, "kteer2": 1,
	"wel": 0.6, "wl": 0.8, "mnl": 1, "bl": 0.6, "fl": 0.6, "ml": 0.3,
	"kel": 0.6, "kell": 0.6, "kil": 0.5, "ma3": 1, "maa": 0.5, "hay": 0.3,
	"hayda": 1, "hayde": 1, "haydi": 1, "hek": 1, "heik": 1, "heke": 1,
	"ktiir2": 1, "mesh2": 1, "ba3ref": 1, "ba3rif": 1, "bta3ref": 1,
	"ma3rafsh": 1, "3arfa": 1, "3aref": 1, "ahl": 0.3, "yaba": 1,
	"habibty": 1, "7abibti": 1, "7abibty": 1, "hbibi": 1, "7bibi": 1,
	"massa": 0.5, "sabah": 0.6, "nour": 0.3, "noor": 0.3, "kheir": 1,
	"khir": 1, "5eir": 1, "kher": 0.8, "bikhir": 1, "labas": 0.8,
}

// arabiziFeatures is what the Arabizi scorer saw in a Latin-script text.
type arabiziFeatures struct {
	words      int     // tokens with at least one letter
	digitWords int     // letters and digits used as letters: 3lach, 7abibi
	lexicon    float64 // summed lexicon weights
	french     int     // accented letters of French (é è à ç …): not Arabizi
}

// score is the Arabizi evidence per word, in [0, 1].
func (f arabiziFeatures) score() float64 {
	if f.words == 0 {
		return 0
	}
	s := (1.2*float64(f.digitWords) + f.lexicon) / float64(f.words)
	return min(s, 1)
}

func newArabiziFeatures(s string) arabiziFeatures {
	var f arabiziFeatures
	for tok := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		letters, digits := 0, 0
		for _, r := range tok {
			switch {
			case unicode.IsLetter(r):
				letters++
				switch r {
				case 'é', 'è', 'ê', 'à', 'ç', 'ù', 'â', 'ô', 'î', 'û', 'ë', 'ï',
					'É', 'È', 'À', 'Ç':
					f.french++
				}
			case unicode.IsDigit(r):
				digits++
			}
		}
		if letters == 0 {
			continue
		}
		f.words++
		lower := strings.ToLower(tok)
		if w, ok := arabiziLexicon[lower]; ok {
			f.lexicon += w
			continue
		}
		switch {
		case digits > 0 && isDigitWord(lower):
			f.digitWords++
		case isNegation(lower):
			// ma…sh / ma…ch: the circumfix negation of spoken Arabic.
			f.lexicon += 0.8
		}
	}
	return f
}

// isDigitWord reports whether a lower-case token uses digits as letters the
// way Arabizi does (3 = ع, 7 = ح, 2 = ء, 5 = خ, 9 = ق, 6 = ط, 8 = غ), as
// opposed to numbers with units or names like "covid19", "4g" or "10th".
func isDigitWord(t string) bool {
	letters, arabiziDigits := 0, 0
	lead := 0 // digits before the first letter
	seenLetter := false
	trailingDigits := 0
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			if !seenLetter {
				lead++
			}
			switch r {
			case '2', '3', '5', '6', '7', '8', '9':
				arabiziDigits++
			}
			trailingDigits++
		case unicode.IsLetter(r):
			seenLetter = true
			letters++
			trailingDigits = 0
		default:
			trailingDigits = 0
		}
	}
	if arabiziDigits == 0 || letters == 0 {
		return false
	}
	// 10th, 4g, 100km, 2nd: a number with a unit.
	if lead > 1 || (lead == 1 && letters <= 2 && trailingDigits == 0 && !strings.ContainsAny(t[1:], "aeiou")) {
		return false
	}
	// covid19, numero46, mp3 at the end of a long word: a name or a count.
	if trailingDigits > 1 || (trailingDigits == 1 && letters >= 5 && arabiziDigits == 1) {
		return false
	}
	return true
}

// isNegation reports whether a word has the shape of the ma…š negation of
// spoken Arabic (makanch, mategich, mahadesh), which English and French
// words almost never have.
func isNegation(t string) bool {
	if len(t) < 6 || !strings.HasPrefix(t, "ma") {
		return false
	}
	return strings.HasSuffix(t, "sh") || strings.HasSuffix(t, "ch") && !strings.HasSuffix(t, "tch")
}

// malteseScore is the Maltese evidence per letter: the letters ħ ċ ġ and
// the digraph għ, q not followed by u (qal, qassam), and the hyphenated
// article (il-, tal-, fil-, l-) and elided ta’, f’, b’. It is 0 under 1.5
// pieces of evidence; letters counts ħ ċ ġ anyway.
func malteseScore(s string) (score float64, letters int) {
	n, m := 0, 0.0
	prevQ := false
	for _, r := range strings.ToLower(s) {
		if prevQ && r != 'u' && unicode.IsLetter(r) {
			m += 0.5
		}
		prevQ = r == 'q'
		if scriptOf(r) != scriptLatin {
			continue
		}
		n++
		switch r {
		case 'ħ', 'ċ', 'ġ':
			m++
			letters++
		}
	}
	if n == 0 {
		return 0, 0
	}
	lower := strings.ToLower(s)
	m += float64(strings.Count(lower, "għ"))
	for w := range strings.FieldsSeq(lower) {
		w = strings.Trim(w, `"'“”.,:;!?()`)
		if i := strings.IndexByte(w, '-'); i > 0 && i < len(w)-1 && maltArticles[w[:i]] {
			m++
		}
		for _, el := range []string{"ta’", "ta'", "f’", "b’"} {
			if strings.HasPrefix(w, el) {
				m++
				break
			}
		}
	}
	if m < 1.5 {
		return 0, letters // one hit is a name or a loan word
	}
	return m / float64(n), letters
}

var maltArticles = map[string]bool{
	"il": true, "l": true, "tal": true, "fil": true, "bil": true, "mill": true,
	"lill": true, "sal": true, "għall": true, "għal": true,
	"it": true, "ir": true, "ix": true,
	"iż": true, "iċ": true, "ta": true, "tat": true, "tad": true, "tas": true,
}

// frenchAccents counts letters French writes and Kurmanji does not.
func frenchAccents(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case 'é', 'è', 'à', 'ù', 'â', 'ô', 'ë', 'ï', 'É', 'È', 'À':
			n++
		}
	}
	return n
}

// kurmanjiWords are frequent Northern Kurdish words that English, French,
// Turkish and Spanish do not write.
var kurmanjiWords = map[string]bool{
	"û": true, "jî": true, "xwe": true, "yê": true, "yên": true, "wî": true,
	"wê": true, "ji": true, "ku": true, "ew": true, "bi": true, "vê": true,
	"vî": true, "bû": true, "dibe": true, "dike": true, "kir": true,
	"ev": true, "hatiye": true, "dikin": true, "wan": true, "ên": true,
	"ya": false, "di": true, "li": true, "re": true, "ra": true, "heye": true,
	"kirin": true, "bûn": true, "tê": true, "ne": true, "jê": true,
}

// kurmanjiScore is the share of words that are frequent Kurmanji words,
// counted only when the letter ê is frequent too.
func kurmanjiScore(s string) float64 {
	words, hits := 0, 0
	ecirc, letters := 0, 0
	for tok := range strings.FieldsFuncSeq(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r)
	}) {
		words++
		if kurmanjiWords[tok] {
			hits++
		}
		for _, r := range tok {
			letters++
			if r == 'ê' || r == 'û' || r == 'î' {
				ecirc++
			}
		}
	}
	if words == 0 || float64(ecirc) < 0.01*float64(letters) {
		return 0
	}
	score := float64(hits) / float64(words)
	// ê, î and û are Kurmanji's most frequent vowels; French writes them
	// about ten times less often.
	if letters >= 25 && float64(ecirc) >= 0.04*float64(letters) && frenchAccents(s) == 0 {
		score = max(score, 0.5)
	}
	return score
}
