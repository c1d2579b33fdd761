package brief

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tarjama/tarjama/pipeline/text"
)

// terms returns the content-word stems of s: stop words (English and
// Arabic), one-letter words and bare numbers are left out.
func terms(s string) []string {
	var out []string
	for _, t := range text.Tokens(s) {
		w := text.Normalize(t.Text)
		if utf8.RuneCountInString(w) < 2 || isNumber(w) {
			continue
		}
		lang := "en"
		if r, _ := utf8.DecodeRuneInString(w); text.IsArabic(r) {
			lang = "ar"
		}
		if text.IsStopWord(lang, w) {
			continue
		}
		out = append(out, text.Stem(lang, w))
	}
	return out
}

func isNumber(w string) bool {
	for _, r := range w {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

// vec is a sparse L2-normalized vector.
type vec map[string]float64

func dot(a, b vec) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var s float64
	for k, x := range a {
		s += x * b[k]
	}
	return s
}

// tfidf weights each document's terms by (1+log tf)·idf with smoothed idf
// and normalizes the vectors.
func tfidf(docs [][]string) []vec {
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, t := range d {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	n := float64(len(docs))
	out := make([]vec, len(docs))
	for i, d := range docs {
		tf := map[string]int{}
		for _, t := range d {
			tf[t]++
		}
		v := vec{}
		var norm float64
		for t, c := range tf {
			w := (1 + math.Log(float64(c))) * (math.Log((n+1)/float64(df[t]+1)) + 1)
			v[t] = w
			norm += w * w
		}
		if norm > 0 {
			norm = math.Sqrt(norm)
			for t := range v {
				v[t] /= norm
			}
		}
		out[i] = v
	}
	return out
}

// groupingText is what TF-IDF grouping compares: the title and body in the
// best available language, the original when that differs, the summary, and
// the keywords in both forms, twice (they are the article's own choice of
// what matters).
func groupingText(a *article) string {
	var b strings.Builder
	t, _ := a.displayTitle()
	b.WriteString(t + "\n" + t + "\n")
	b.WriteString(a.body + "\n")
	b.WriteString(strings.Join(a.summary, " ") + "\n")
	if a.bodyLang != baseLang(a.lang) {
		// The original too: two articles in the same source language match
		// on it even when only one of them was translated.
		b.WriteString(a.title + "\n" + strings.Join(a.res.Clean.Paragraphs, "\n") + "\n")
	}
	for _, k := range a.res.Keywords {
		b.WriteString(k.Text + " " + k.Text + "\n")
		if k.Original != "" && k.Original != k.Text {
			b.WriteString(k.Original + " " + k.Original + "\n")
		}
	}
	return b.String()
}

// tfidfSimilarity is the cosine similarity matrix of the articles' TF-IDF
// vectors.
func tfidfSimilarity(arts []*article) [][]float64 {
	docs := make([][]string, len(arts))
	for i, a := range arts {
		docs[i] = terms(groupingText(a))
	}
	vs := tfidf(docs)
	sim := make([][]float64, len(vs))
	for i := range vs {
		sim[i] = make([]float64, len(vs))
		for j := range vs {
			if i == j {
				sim[i][j] = 1
			} else if j < i {
				sim[i][j] = sim[j][i]
			} else {
				sim[i][j] = dot(vs[i], vs[j])
			}
		}
	}
	return sim
}

// embeddingSimilarity is the cosine similarity matrix of dense vectors.
func embeddingSimilarity(vs [][]float32) [][]float64 {
	norms := make([]float64, len(vs))
	for i, v := range vs {
		var s float64
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		norms[i] = math.Sqrt(s)
	}
	sim := make([][]float64, len(vs))
	for i := range vs {
		sim[i] = make([]float64, len(vs))
		for j := range vs {
			switch {
			case i == j:
				sim[i][j] = 1
			case j < i:
				sim[i][j] = sim[j][i]
			case norms[i] == 0 || norms[j] == 0 || len(vs[i]) != len(vs[j]):
				sim[i][j] = 0
			default:
				var s float64
				for k := range vs[i] {
					s += float64(vs[i][k]) * float64(vs[j][k])
				}
				sim[i][j] = s / (norms[i] * norms[j])
			}
		}
	}
	return sim
}

// cluster is average-linkage agglomerative clustering: the two clusters
// with the highest mean pairwise similarity merge while that mean is at
// least threshold. Ties go to the lowest indices, so the result is
// deterministic. Each cluster lists its members in increasing order; the
// clusters are ordered by their first member. It costs O(n³) time for n
// items, which is well under a second for a few hundred articles.
func cluster(sim [][]float64, threshold float64) [][]int {
	n := len(sim)
	members := make([][]int, n)
	alive := make([]bool, n)
	s := make([][]float64, n)
	for i := range n {
		members[i] = []int{i}
		alive[i] = true
		s[i] = append([]float64(nil), sim[i]...)
	}
	for {
		bi, bj, best := -1, -1, math.Inf(-1)
		for i := range n {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if alive[j] && s[i][j] > best {
					bi, bj, best = i, j, s[i][j]
				}
			}
		}
		if bi < 0 || best < threshold {
			break
		}
		ni, nj := float64(len(members[bi])), float64(len(members[bj]))
		for k := range n {
			if alive[k] && k != bi && k != bj {
				v := (ni*s[bi][k] + nj*s[bj][k]) / (ni + nj)
				s[bi][k], s[k][bi] = v, v
			}
		}
		members[bi] = append(members[bi], members[bj]...)
		sort.Ints(members[bi])
		alive[bj] = false
	}
	var out [][]int
	for i := range n {
		if alive[i] {
			out = append(out, members[i])
		}
	}
	return out
}
