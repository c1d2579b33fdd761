package gloss

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"

	"github.com/pkoukk/tiktoken-go-loader/assets"
)

// The FreeDict Arabic-English entries list their senses in alphabetical
// order (97% of the entries with three or more senses, measured on 0.6.3),
// so the first sense is an accident of the alphabet: الرئيس starts with
// "Boss", على with "Onto", عن with "Anent". To pick a usual English word we
// rank senses by how common they are, and the commonness comes from a list
// the module already carries: GPT-2's byte-pair vocabulary (r50k_base,
// embedded by tiktoken-go-loader). Its merge rank follows corpus frequency,
// so " president" ranks far before " chairperson". Only " word" and " Word"
// tokens of ASCII letters are kept (about 30,000).

// ranker maps a lower-case English word to its BPE merge ranks: as
// written in lower case (" book") and capitalized (" Iraq"). The pair also
// tells names from common words: " Iraq" is a token and " iraq" is not.
type ranker map[string]ranks

type ranks struct{ lower, upper int32 }

const noRank = -1

// unknownRank scores words that are not a single BPE token: rare words.
const unknownRank = 60000

// sharedRanker parses the vocabulary once per process: it is read-only
// data from the binary, the same for every dictionary.
var sharedRanker = sync.OnceValue(loadRanker)

func loadRanker() ranker {
	b, err := assets.Assets.ReadFile("r50k_base.tiktoken")
	if err != nil {
		return ranker{} // degrade to dictionary order
	}
	r := make(ranker, 20000)
	var tok [64]byte
	for len(b) > 0 {
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		sp := bytes.IndexByte(line, ' ')
		if sp <= 0 || sp > 80 {
			continue
		}
		n, err := base64.StdEncoding.Decode(tok[:], line[:sp])
		if err != nil || n < 2 || tok[0] != ' ' {
			continue
		}
		word := tok[1:n]
		if !isLowerASCII(word[1:]) || !(isLowerASCII(word[:1]) || word[0] >= 'A' && word[0] <= 'Z') {
			continue
		}
		rank, err := strconv.Atoi(string(line[sp+1:]))
		if err != nil {
			continue
		}
		k := strings.ToLower(string(word))
		rs, ok := r[k]
		if !ok {
			rs = ranks{noRank, noRank}
		}
		if word[0] >= 'A' && word[0] <= 'Z' {
			rs.upper = int32(rank)
		} else {
			rs.lower = int32(rank)
		}
		r[k] = rs
	}
	return r
}

func isLowerASCII(b []byte) bool {
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// score is lower for more usual senses. A sense of several words scores as
// its rarest word plus a little per extra word, so "war" beats "state of
// war".
func (r ranker) score(sense string) int {
	words := strings.FieldsFunc(strings.ToLower(sense), func(c rune) bool {
		return c == ' ' || c == '-' || c == '/'
	})
	if len(words) == 0 {
		return 1 << 30
	}
	worst := 0
	for _, w := range words {
		rank := unknownRank + 100*len(w)
		if k, ok := r[w]; ok {
			rank = int(k.lower)
			if rank == noRank || (k.upper != noRank && int(k.upper) < rank) {
				rank = int(k.upper)
			}
		}
		worst = max(worst, rank)
	}
	return worst + 3000*(len(words)-1)
}

// name reports whether a one-word sense is a proper name by the
// vocabulary's say: its capitalized form is more common than its lower-case
// one. known is false when the vocabulary has neither.
func (r ranker) name(sense string) (name, known bool) {
	k, ok := r[strings.ToLower(sense)]
	if !ok {
		return false, false
	}
	if k.upper == noRank {
		return false, true
	}
	return k.lower == noRank || k.upper < k.lower, true
}

// hasLower reports whether the vocabulary knows the word in lower case.
func (r ranker) hasLower(sense string) bool {
	k, ok := r[strings.ToLower(sense)]
	return ok && k.lower != noRank
}
