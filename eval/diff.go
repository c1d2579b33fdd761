package eval

import "strings"

// wordDiff is a word-level diff of ref → hyp (longest common subsequence):
// words only in ref are wrapped as ~~del~~, words only in hyp as **ins**,
// for Markdown. Very long texts are cut to their first maxWords words.
func wordDiff(ref, hyp string) string {
	const maxWords = 150
	a, b := strings.Fields(ref), strings.Fields(hyp)
	a, b = a[:min(len(a), maxWords)], b[:min(len(b), maxWords)]
	// lcs[i][j] = LCS length of a[i:], b[j:]
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	var del, ins []string
	flush := func() {
		if len(del) > 0 {
			out = append(out, "~~"+mdEscape(strings.Join(del, " "))+"~~")
			del = del[:0]
		}
		if len(ins) > 0 {
			out = append(out, "**"+mdEscape(strings.Join(ins, " "))+"**")
			ins = ins[:0]
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			out = append(out, mdEscape(a[i]))
			i++
			j++
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			ins = append(ins, b[j])
			j++
		default:
			del = append(del, a[i])
			i++
		}
	}
	flush()
	return strings.Join(out, " ")
}

// mdEscape escapes the characters Markdown would take for formatting.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "`", "\\`", "|", `\|`, "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "#", `\#`)
	return r.Replace(s)
}
