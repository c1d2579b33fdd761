// Command gloss measures the offline gloss (pipeline/offline/gloss) on the
// shared data: the dictionary's coverage of Arabic words with and without
// clitic segmentation, the time and memory Open takes, and GlossText's
// speed on news articles. It prints Markdown tables.
//
//	go run ./bench/gloss -data /work/shared/data
//
// The dictionary is the installed FreeDict one (apt-get install
// dict-freedict-ara-eng) unless -dict names another.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/tarjama/tarjama/pipeline/offline/gloss"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench/gloss:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gloss", flag.ContinueOnError)
	data := fs.String("data", envOr("TARJAMA_DATA", "/work/shared/data"), "shared data directory")
	dictPath := fs.String("dict", "", "dictionary (.index, .dict.dz or directory); default: the installed one")
	loads := fs.Int("loads", 5, "how many times to time Open")
	show := fs.Int("show", 0, "print the gloss of this many NTREX sentences")
	top := fs.Int("top", 0, "print the most frequent romanized words and dictionary glosses (this many)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// Load time and memory.
	var times, cpus []time.Duration
	var d *gloss.Dict
	var heap, alloc uint64
	for i := 0; i < max(*loads, 1); i++ {
		d = nil
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start, cpu0 := time.Now(), cpuTime()
		var err error
		d, err = gloss.Open(ctx, *dictPath)
		if err != nil {
			return err
		}
		times = append(times, time.Since(start))
		cpus = append(cpus, cpuTime()-cpu0)
		runtime.ReadMemStats(&after)
		alloc = after.TotalAlloc - before.TotalAlloc
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(d)
	}
	slices.Sort(times)
	slices.Sort(cpus)
	fmt.Printf("dictionary: %s (%d headwords)\n\n", d.Index, d.Headwords)
	fmt.Println("| Open | wall median | wall min | CPU median | CPU min | live heap after load | allocated during load |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	fmt.Printf("| %d loads | %s | %s | %s | %s | %.1f MB | %.1f MB |\n\n",
		len(times), ms(times[len(times)/2]), ms(times[0]), ms(cpus[len(cpus)/2]), ms(cpus[0]), mb(heap), mb(alloc))

	// Corpora.
	articles, err := readField(filepath.Join(*data, "ant_bbc_arabic_summaries", "ant_bbc_arabic_summaries.jsonl"), "article")
	if err != nil {
		return err
	}
	sentences, err := readField(filepath.Join(*data, "ntrex128_arb_eng", "sentences.jsonl"), "src")
	if err != nil {
		return err
	}
	refs, err := readField(filepath.Join(*data, "ntrex128_arb_eng", "sentences.jsonl"), "ref")
	if err != nil {
		return err
	}
	if len(refs) != len(sentences) {
		return fmt.Errorf("ntrex: %d sources but %d references", len(sentences), len(refs))
	}
	corpora := []struct {
		name  string
		texts []string
	}{
		{fmt.Sprintf("ANT BBC Arabic articles (%d)", len(articles)), articles},
		{fmt.Sprintf("NTREX-128 sentences (%d)", len(sentences)), sentences},
	}
	configs := []struct {
		name string
		o    gloss.Options
	}{
		{"FreeDict, whole words", gloss.Options{NoSegment: true, NoPhrases: true, NoCore: true}},
		{"FreeDict + clitics", gloss.Options{NoPhrases: true, NoCore: true}},
		{"FreeDict + clitics + phrases", gloss.Options{NoCore: true}},
		{"+ function words, whole words", gloss.Options{NoSegment: true}},
		{"+ function words + clitics + phrases (default)", gloss.Options{}},
	}
	fmt.Println("Coverage: share of Arabic word tokens found (not romanized).")
	fmt.Println()
	fmt.Print("| lookup |")
	for _, c := range corpora {
		fmt.Printf(" %s |", c.name)
	}
	fmt.Println()
	fmt.Print("| --- |")
	for range corpora {
		fmt.Print(" ---: |")
	}
	fmt.Println()
	for _, cf := range configs {
		fmt.Printf("| %s |", cf.name)
		for _, c := range corpora {
			words, found := 0, 0
			for _, t := range c.texts {
				if err := ctx.Err(); err != nil {
					return err
				}
				r := d.Gloss(t, cf.o)
				words += r.Words
				found += r.Found
			}
			fmt.Printf(" %.1f%% (%d/%d) |", 100*float64(found)/float64(max(words, 1)), found, words)
		}
		fmt.Println()
	}
	fmt.Println()

	// A precision proxy: does the English of a glossed word occur in the
	// NTREX reference translation of its sentence?
	fmt.Println("Reference hits on NTREX-128: share of glossed words whose English head word (first 5 letters) occurs in the human reference translation of the sentence; a rough proxy for precision (a correct gloss can still be missed by a paraphrasing reference).")
	fmt.Println()
	fmt.Println("| glossed by | tokens | reference hit |")
	fmt.Println("| --- | ---: | ---: |")
	type tally struct{ n, hit int }
	by := map[string]*tally{}
	order := []string{"function-word table", "FreeDict, whole word", "FreeDict, after clitic split", "FreeDict phrase"}
	for _, k := range order {
		by[k] = &tally{}
	}
	for i, src := range sentences {
		ref := strings.ToLower(refs[i])
		for _, t := range d.GlossText(src).Tokens {
			if t.Kind != gloss.KindDict {
				continue
			}
			k := "FreeDict, whole word"
			switch {
			case t.Core:
				k = "function-word table"
			case strings.Contains(t.Lemma, "_"):
				k = "FreeDict phrase"
			case d.Gloss(t.Source, gloss.Options{NoSegment: true, NoPhrases: true, NoCore: true}).Found == 0:
				k = "FreeDict, after clitic split"
			}
			by[k].n++
			if refHit(t.Gloss, ref) {
				by[k].hit++
			}
		}
	}
	for _, k := range order {
		t := by[k]
		fmt.Printf("| %s | %d | %.1f%% |\n", k, t.n, 100*float64(t.hit)/float64(max(t.n, 1)))
	}
	fmt.Println()

	// Speed on news articles.
	var words int
	var bytes int
	start, cpu0 := time.Now(), cpuTime()
	for _, a := range articles {
		r := d.GlossText(a)
		words += r.Words
		bytes += len(a)
	}
	el, cpu := time.Since(start), cpuTime()-cpu0
	n := time.Duration(max(len(articles), 1))
	fmt.Println("| GlossText on ANT BBC articles | articles | Arabic words | wall per article | CPU per article | words per CPU second | MB per CPU second |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	fmt.Printf("| default options | %d | %d | %s | %s | %.0f | %.2f |\n\n", len(articles), words, ms(el/n), ms(cpu/n),
		float64(words)/cpu.Seconds(), float64(bytes)/cpu.Seconds()/1e6)

	if *top > 0 {
		miss, hit := map[string]int{}, map[string]int{}
		for _, a := range articles {
			for _, t := range d.GlossText(a).Tokens {
				switch t.Kind {
				case gloss.KindRomanized:
					miss[t.Source+" → "+t.Gloss]++
				case gloss.KindDict:
					hit[t.Source+" → "+t.Gloss+" ("+t.Lemma+")"]++
				}
			}
		}
		for _, m := range []struct {
			name string
			c    map[string]int
		}{{"romanized", miss}, {"dictionary", hit}} {
			keys := make([]string, 0, len(m.c))
			for k := range m.c {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int { return m.c[b] - m.c[a] })
			fmt.Printf("most frequent %s words:\n", m.name)
			for _, k := range keys[:min(*top, len(keys))] {
				fmt.Printf("%6d  %s\n", m.c[k], k)
			}
			fmt.Println()
		}
	}

	for i := 0; i < *show && i < len(sentences); i++ {
		r := d.GlossText(sentences[i])
		fmt.Printf("%s\n→ %s  (coverage %.0f%%)\n\n", sentences[i], r.Text, 100*r.Coverage)
	}
	return nil
}

// refHit reports whether the head word of a gloss (its longest word, which
// skips the clitic glue "and", "the", "in/with") occurs in ref, compared on
// the first five letters so that "government" matches "governments".
func refHit(g, ref string) bool {
	head := ""
	for _, w := range strings.FieldsFunc(strings.ToLower(g), func(r rune) bool { return r == ' ' || r == '/' || r == '-' }) {
		if len(w) > len(head) {
			head = w
		}
	}
	if head == "" {
		return false
	}
	if len(head) > 5 {
		head = head[:5]
	}
	for _, w := range strings.FieldsFunc(ref, func(r rune) bool { return !('a' <= r && r <= 'z') }) {
		if strings.HasPrefix(w, head) {
			return true
		}
	}
	return false
}

// readField reads one string field of every record of a JSON Lines file.
func readField(path, field string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if s, ok := m[field].(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// cpuTime is the CPU time the process has used (user + system), which
// unlike wall time does not grow when other processes share the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
