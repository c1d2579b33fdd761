package detect

import (
	"strings"
	"testing"
)

func BenchmarkDetect(b *testing.B) {
	d := testDetector(b)
	article := readTestdata(b, "qaani-kadhimi-2020-11-25.ar.txt")
	paragraph := strings.Split(article, "\n\n")[3]
	cases := []struct{ name, text string }{
		{"paragraph_ar", paragraph},
		{"article_ar", article},
		{"article_en", readTestdata(b, "qaani-kadhimi-2020-11-25.en.txt")},
		{"arabizi", "wesh khouya 3lach ma jitch lbareh? mazal rak f lkhedma? inchallah ghodwa"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				d.Detect(c.text)
			}
		})
	}
}
