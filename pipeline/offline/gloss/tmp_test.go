package gloss

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"
)

func TestTmpSplits(t *testing.T) {
	d, err := Open(context.Background(), "")
	if err != nil {
		t.Skip()
	}
	f, _ := os.Open("/work/shared/data/ntrex128_arb_eng/sentences.jsonl")
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	c := map[string]int{}
	for sc.Scan() {
		var m map[string]any
		json.Unmarshal(sc.Bytes(), &m)
		for _, tk := range d.GlossText(m["src"].(string)).Tokens {
			if tk.Kind == KindDict && !tk.Core && d.Gloss(tk.Source, Options{NoSegment: true, NoPhrases: true, NoCore: true}).Found == 0 {
				c[tk.Source+" "+tk.Lemma+" → "+tk.Gloss]++
			}
		}
	}
	var ks []string
	for k := range c {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return c[ks[i]] > c[ks[j]] })
	for _, k := range ks[:150] {
		fmt.Println(c[k], k)
	}
}
