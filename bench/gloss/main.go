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
	if err := fs.Parse(args); err != nil {
		return err
	}

	// Load time and memory.
	var times []time.Duration
	var d *gloss.Dict
	var heap, alloc uint64
	for i := 0; i < max(*loads, 1); i++ {
		d = nil
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		var err error
		d, err = gloss.Open(ctx, *dictPath)
		if err != nil {
			return err
		}
		times = append(times, time.Since(start))
		runtime.ReadMemStats(&after)
		alloc = after.TotalAlloc - before.TotalAlloc
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(d)
	}
	slices.Sort(times)
	fmt.Printf("dictionary: %s (%d headwords)\n\n", d.Index, d.Headwords)
	fmt.Println("| Open | median | min | max | live heap after load | allocated during load |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: |")
	fmt.Printf("| %d loads | %s | %s | %s | %.1f MB | %.1f MB |\n\n",
		len(times), ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]), mb(heap), mb(alloc))

	// Corpora.
	articles, err := readField(filepath.Join(*data, "ant_bbc_arabic_summaries", "ant_bbc_arabic_summaries.jsonl"), "article")
	if err != nil {
		return err
	}
	sentences, err := readField(filepath.Join(*data, "ntrex128_arb_eng", "sentences.jsonl"), "src")
	if err != nil {
		return err
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

	// Speed on news articles.
	var words int
	var bytes int
	start := time.Now()
	for _, a := range articles {
		r := d.GlossText(a)
		words += r.Words
		bytes += len(a)
	}
	el := time.Since(start)
	fmt.Println("| GlossText on ANT BBC articles | articles | Arabic words | total | per article | words/s | MB/s |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	fmt.Printf("| default options | %d | %d | %s | %s | %.0f | %.2f |\n\n", len(articles), words, ms(el),
		ms(el/time.Duration(max(len(articles), 1))), float64(words)/el.Seconds(), float64(bytes)/el.Seconds()/1e6)

	for i := 0; i < *show && i < len(sentences); i++ {
		r := d.GlossText(sentences[i])
		fmt.Printf("%s\n→ %s  (coverage %.0f%%)\n\n", sentences[i], r.Text, 100*r.Coverage)
	}
	return nil
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

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
