package gloss

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/pkoukk/tiktoken-go-loader/assets"
)

// The FreeDict Arabic-English entries list their senses in alphabetical
// order (97% of the entries with three or more senses, measured on 0.6.3),
// so the first sense is an accident of the alphabet: الرئيس starts with
// "Boss", على with "Onto", عن with "Anent". To pick a usual English word we
// rank senses by how common they are, and the commonness comes from a list
// the module already carries: GPT-2's byte-pair vocabulary (r50k_base,
// embedded by tiktoken-go-loader). Its merge rank follows corpus frequency,
// so " president" ranks far before " chairperson". Only " word" tokens of
// lower-case ASCII letters are kept (about 20,000).

// ranker maps a lower-case English word to its BPE merge rank.
type ranker map[string]int32

// unknownRank scores words that are not a single BPE token: rare words.
const unknownRank = 60000

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
		if err != nil || n < 2 || tok[0] != ' ' || !isLowerASCII(tok[1:n]) {
			continue
		}
		rank, err := strconv.Atoi(string(line[sp+1:]))
		if err != nil {
			continue
		}
		r[string(tok[1:n])] = int32(rank)
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
		k, ok := r[w]
		rank := int(k)
		if !ok {
			rank = unknownRank + 100*len(w)
		}
		worst = max(worst, rank)
	}
	return worst + 3000*(len(words)-1)
}
