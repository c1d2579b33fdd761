// Package fakemodel is a deterministic stand-in for a chat model that
// understands tarjama's prompts, for tests and benchmarks with the fake
// OpenAI-compatible server (pipeline/llm/llmtest):
//
//	srv := llmtest.NewServer(t)
//	srv.Handler = fakemodel.Handler
//
// For a translation prompt it answers one "translated" paragraph per
// numbered input paragraph ("EN: " + the paragraph, with the system
// prompt's glossary applied), so paragraph alignment and glossary use are
// observable. For an analysis prompt it answers a summary made of the
// title and first sentence, and keywords from the article's quoted names.
package fakemodel

import (
	"regexp"
	"strings"

	"github.com/tarjama/tarjama/pipeline/llm/llmtest"
)

var (
	numberedRE = regexp.MustCompile(`(?m)^\[(\d+)\] `)
	glossRE    = regexp.MustCompile(`(?m)^\s+(\S.*?) → (.+)$`)
	quotedRE   = regexp.MustCompile(`["«“]([^"»”\n]{2,40})["»”]`)
)

// Handler answers like a well-behaved model.
func Handler(r llmtest.ChatRequest) llmtest.Reply {
	sys, user := r.System(), r.LastUser()
	switch {
	case strings.Contains(sys, "news translator"):
		return llmtest.JSON(Translate(sys, user))
	case strings.Contains(sys, "briefing summaries"):
		return llmtest.JSON(Analyze(user))
	}
	return llmtest.Echo(r)
}

// Fenced returns the contents of the data blocks in a prompt, in order.
func Fenced(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "<<<DATA")
		if i < 0 {
			return out
		}
		s = s[i+3:]
		nl := strings.IndexByte(s, '\n')
		if nl < 0 {
			return out
		}
		tag := s[:nl]
		end := strings.Index(s, "\n"+tag+">>>")
		if end < 0 {
			return out
		}
		out = append(out, s[nl+1:end])
		s = s[end+len(tag)+4:]
	}
}

// Translate is the fake translation of a translate prompt.
func Translate(system, user string) map[string]any {
	blocks := Fenced(user)
	var title, body string
	switch {
	case strings.Contains(user, "Title:\n") && len(blocks) >= 2:
		title, body = blocks[len(blocks)-2], blocks[len(blocks)-1]
	case len(blocks) >= 1:
		body = blocks[len(blocks)-1]
	}
	var glossary [][2]string
	for _, m := range glossRE.FindAllStringSubmatch(system, -1) {
		glossary = append(glossary, [2]string{m[1], m[2]})
	}
	tr := func(s string) string {
		for _, g := range glossary {
			s = strings.ReplaceAll(s, g[0], g[1])
		}
		return "EN: " + s
	}
	idx := numberedRE.FindAllStringIndex(body, -1)
	paras := []string{}
	for i, m := range idx {
		end := len(body)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		paras = append(paras, tr(strings.TrimSpace(body[m[1]:end])))
	}
	t := ""
	if title != "" {
		t = tr(title)
	}
	return map[string]any{"title": t, "paragraphs": paras}
}

// Analyze is the fake analysis of an analyze prompt.
func Analyze(user string) map[string]any {
	blocks := Fenced(user)
	article := ""
	if len(blocks) > 0 {
		article = blocks[0]
		if strings.Contains(user, "Title:\n") && len(blocks) > 1 {
			article = blocks[1]
		}
	}
	first := article
	if i := strings.IndexAny(first, ".\n"); i > 0 {
		first = first[:i]
	}
	kws := []map[string]string{}
	seen := map[string]bool{}
	for _, m := range quotedRE.FindAllStringSubmatch(article, -1) {
		if seen[m[1]] || len(kws) >= 8 {
			continue
		}
		seen[m[1]] = true
		kws = append(kws, map[string]string{"en": "EN:" + m[1], "original": m[1], "type": "person"})
	}
	return map[string]any{"summary": "SUMMARY: " + strings.TrimSpace(first), "bullets": []string{}, "keywords": kws}
}
