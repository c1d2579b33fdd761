package gloss

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestSlowTmp(t *testing.T) {
	d, _ := openFixture(t)
	letters := []rune("وفبلكسالهمانيتةىأإآءؤئ ـًٌٍَُِّْ،.«»\"0123٣ab\u200c")
	rng := rand.New(rand.NewSource(1))
	worst := time.Duration(0)
	for i := 0; i < 3000; i++ {
		n := rng.Intn(300)
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteRune(letters[rng.Intn(len(letters))])
		}
		s := b.String()
		st := time.Now()
		d.Gloss(s, Options{})
		if el := time.Since(st); el > worst {
			worst = el
			t.Logf("%v %q", el, s)
		}
	}
}
