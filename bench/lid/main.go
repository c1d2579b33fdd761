// Command lid measures tarjama's language detector (pipeline/detect) against
// plain lingua-go (same languages, high-accuracy mode) on the shared
// language-identification sets, and prints Markdown tables.
//
//	go run ./bench/lid                          # accuracy table, default options
//	go run ./bench/lid -accuracy high -langs ar,fa,ur,en,fr
//	go run ./bench/lid -errors ntrex:pus        # also print misclassified records
//	go run ./bench/lid -mode startup            # memory and start-up per language set
//
// The data folder is -data, else $TARJAMA_DATA, else /work/shared/data.
// Build it first (go build -o /tmp/lidbench ./bench/lid) for -mode startup,
// which runs itself once per configuration in a fresh process.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pemistahl/lingua-go"

	"github.com/tarjama/tarjama/pipeline/detect"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lid:", err)
		os.Exit(1)
	}
}

// candidateSets are the lingua language sets compared by -mode startup.
var candidateSets = []string{
	"ar,fa,ur,en,fr",
	"ar,fa,ur,en,fr,he,tr,ru,es,de",
	"ar,fa,ur,en,fr,he,tr,ru,es,de,it,pt,zh,ja,ko,hi,id,nl",
	"ar,fa,ur,en,fr,es,de,it,pt,nl,tr,id,ru,uk,hi",
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("lid", flag.ContinueOnError)
	dataDir := fs.String("data", cmp.Or(os.Getenv("TARJAMA_DATA"), "/work/shared/data"), "folder of the shared datasets")
	mode := fs.String("mode", "accuracy", "accuracy | startup | startup-one")
	langs := fs.String("langs", "", "comma-separated ISO 639-1 codes for lingua (empty: detect.DefaultLanguages())")
	acc := fs.String("accuracy", "mixed", "mixed | high | low (detect.Options.Accuracy); the lingua baseline is low-accuracy only for low")
	lazy := fs.Bool("lazy", false, "detect.Options.Lazy (startup-one)")
	errs := fs.String("errors", "", "print misclassified records of groups whose name contains this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	accuracies := map[string]detect.Accuracy{"mixed": detect.AccuracyMixed, "high": detect.AccuracyHigh, "low": detect.AccuracyLow}
	accuracy, ok := accuracies[*acc]
	if !ok {
		return fmt.Errorf("unknown -accuracy %q", *acc)
	}
	opts := detect.Options{Accuracy: accuracy, Lazy: *lazy}
	var codes []string
	if *langs != "" {
		codes = strings.Split(*langs, ",")
	}
	switch *mode {
	case "startup-one":
		opts.Languages = codes
		return startupOne(opts, out)
	case "startup":
		return startupAll(out)
	case "accuracy":
		opts.Languages = codes
		return measure(*dataDir, opts, *errs, out)
	}
	return fmt.Errorf("unknown mode %q", *mode)
}

// startupOne builds one Detector in this (fresh) process and reports time
// and memory.
func startupOne(opts detect.Options, out io.Writer) error {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	start := time.Now()
	d, err := detect.New(opts)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	runtime.GC()
	runtime.ReadMemStats(&after)
	// First detection, to show there is no lazy loading left.
	t1 := time.Now()
	d.Detect("هذا نص عربي قصير للتجربة. This is English.")
	first := time.Since(t1)
	fmt.Fprintf(out, "%.2f\t%.2f\t%.0f\t%.0f\t%s\t%s\n", elapsed.Seconds(), cpu.Seconds(),
		float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), float64(after.Sys)/(1<<20), vmHWM(), first)
	return nil
}

// cpuTime is the process's user+system CPU time: on a shared machine it
// says more about start-up cost than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "?"
}

func startupAll(out io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "| lingua languages | accuracy | New() wall s | New() CPU s | heap after GC MiB | Go Sys MiB | peak RSS | first Detect |")
	fmt.Fprintln(out, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, set := range candidateSets {
		for _, acc := range []string{"high", "mixed", "low"} {
			cmd := exec.Command(self, "-mode", "startup-one", "-langs", set, "-accuracy", acc)
			cmd.Stderr = os.Stderr
			b, err := cmd.Output()
			if err != nil {
				return fmt.Errorf("measuring %s: %w", set, err)
			}
			f := strings.Split(strings.TrimSpace(string(b)), "\t")
			fmt.Fprintf(out, "| %s (%d) | %v | %s | %s | %s | %s | %s | %s |\n", set, len(strings.Split(set, ",")), acc, f[0], f[1], f[2], f[3], f[4], f[5])
		}
	}
	return nil
}

// record is one labelled text with the answers that count as right.
type record struct {
	group  string
	text   string
	accept []string // first is the main label
}

func load(dir string) ([]record, error) {
	var recs []record
	ntrexLabel := map[string][]string{
		"arb": {"ar"}, "mey": {"ar"}, "fas": {"fa"}, "prs": {"fa"}, "pus": {"ps"},
		"ckb": {"ckb"}, "urd": {"ur"}, "snd": {"sd"}, "uig": {"ug"}, "kmr": {"kmr", "ku"},
		"heb": {"he"}, "mlt": {"mt"}, "eng": {"en"}, "fra": {"fr"},
	}
	err := readJSONL(filepath.Join(dir, "ntrex128_lid", "ntrex128_lid.jsonl"), func(m map[string]any) {
		l := m["lang"].(string)
		recs = append(recs, record{"ntrex:" + l, m["text"].(string), ntrexLabel[l]})
	})
	if err != nil {
		return nil, err
	}
	err = readJSONL(filepath.Join(dir, "lingua_lid_testdata", "lingua_lid_testdata.jsonl"), func(m map[string]any) {
		recs = append(recs, record{"lingua:" + m["lingua_code"].(string) + ":" + m["kind"].(string), m["text"].(string), []string{m["lingua_code"].(string)}})
	})
	if err != nil {
		return nil, err
	}
	err = readJSONL(filepath.Join(dir, "qcri_dialect_tweets", "qcri_dialect_tweets.jsonl"), func(m map[string]any) {
		recs = append(recs, record{"qcri:" + m["dialect"].(string), m["text"].(string), []string{"ar"}})
	})
	if err != nil {
		return nil, err
	}
	err = readJSONL(filepath.Join(dir, "narabizi_algerian_arabizi", "narabizi_algerian_arabizi.jsonl"), func(m map[string]any) {
		recs = append(recs, record{"narabizi:arq-Latn", m["text"].(string), []string{detect.Arabizi}})
	})
	if err != nil {
		return nil, err
	}
	haifaLabel := map[string]string{"arabizi": detect.Arabizi, "english": "en", "french": "fr", "arabic_script": "ar"}
	err = readJSONL(filepath.Join(dir, "haifa_arabizi_codeswitch", "haifa_arabizi_codeswitch.jsonl"), func(m map[string]any) {
		var present []string
		for _, p := range m["languages_present"].([]any) {
			present = append(present, p.(string))
		}
		if len(present) == 0 {
			return
		}
		// Arabizi (or Arabic) first: it is the label that matters when a
		// sentence mixes it with English or French.
		slices.SortFunc(present, func(a, b string) int { return cmp.Compare(haifaRank(a), haifaRank(b)) })
		var accept []string
		for _, p := range present {
			accept = append(accept, haifaLabel[p])
		}
		recs = append(recs, record{"haifa:" + strings.Join(present, "+"), m["text"].(string), accept})
	})
	return recs, err
}

func haifaRank(s string) int {
	return slices.Index([]string{"arabizi", "arabic_script", "english", "french"}, s)
}

func readJSONL(path string, f func(map[string]any)) error {
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening dataset: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		f(m)
	}
	return sc.Err()
}

type answers struct{ ours, base string }

func measure(dir string, opts detect.Options, showErrs string, out io.Writer) error {
	recs, err := load(dir)
	if err != nil {
		return err
	}
	start := time.Now()
	d, err := detect.New(opts)
	if err != nil {
		return err
	}
	built := time.Since(start)
	codes := opts.Languages
	low := opts.Accuracy == detect.AccuracyLow
	if codes == nil {
		codes = detect.DefaultLanguages()
	}
	var ll []lingua.Language
	for _, c := range codes {
		ll = append(ll, lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(c)))
	}
	lb := lingua.NewLanguageDetectorBuilder().FromLanguages(ll...).WithPreloadedLanguageModels()
	if low {
		lb = lb.WithLowAccuracyMode()
	}
	base := lb.Build()

	ans := make([]answers, len(recs))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	t0 := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(recs); i += workers {
				ans[i].ours = d.Detect(recs[i].text).Lang
				b := "und"
				if l, ok := base.DetectLanguageOf(recs[i].text); ok {
					b = strings.ToLower(l.IsoCode639_1().String())
				}
				ans[i].base = b
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)

	type stat struct{ n, ok, ar, bok, bar int }
	groups := map[string]*stat{}
	var names []string
	// Overall confusion for ar and ar-Latn, ours and baseline.
	type pr struct{ tp, fp, fn int }
	var arOurs, arBase, alOurs, alBase pr
	var ntrexArOurs, ntrexArBase pr
	for i, r := range recs {
		s := groups[r.group]
		if s == nil {
			s = &stat{}
			groups[r.group] = s
			names = append(names, r.group)
		}
		a := ans[i]
		s.n++
		if slices.Contains(r.accept, a.ours) {
			s.ok++
		} else if showErrs != "" && strings.Contains(r.group, showErrs) {
			fmt.Fprintf(os.Stderr, "%s\t%s\t%q\n", r.group, a.ours, r.text)
		}
		if slices.Contains(r.accept, a.base) {
			s.bok++
		}
		if a.ours == "ar" {
			s.ar++
		}
		if a.base == "ar" {
			s.bar++
		}
		isAr := r.accept[0] == "ar" && len(r.accept) == 1
		isAL := r.accept[0] == detect.Arabizi && len(r.accept) == 1
		count := func(p *pr, label, got string, gold, okIfMixed bool) {
			switch {
			case got == label && (gold || (okIfMixed && slices.Contains(r.accept, label))):
				p.tp++
			case got == label:
				p.fp++
			case gold:
				p.fn++
			}
		}
		count(&arOurs, "ar", a.ours, isAr, true)
		count(&arBase, "ar", a.base, isAr, true)
		count(&alOurs, detect.Arabizi, a.ours, isAL, true)
		count(&alBase, detect.Arabizi, a.base, isAL, true)
		if strings.HasPrefix(r.group, "ntrex:") {
			count(&ntrexArOurs, "ar", a.ours, isAr, true)
			count(&ntrexArBase, "ar", a.base, isAr, true)
		}
	}
	slices.Sort(names)
	pct := func(a, b int) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f", 100*float64(a)/float64(b))
	}
	fmt.Fprintf(out, "lingua set: %s (accuracy: %v, lingua baseline low-accuracy: %v); New() %.2fs; %d records in %.1fs (%d workers)\n\n",
		strings.Join(codes, ","), accName(opts.Accuracy), low, built.Seconds(), len(recs), elapsed.Seconds(), workers)
	fmt.Fprintln(out, "| group | n | accuracy % | labelled ar % | lingua accuracy % | lingua labelled ar % |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, g := range names {
		s := groups[g]
		fmt.Fprintf(out, "| %s | %d | %s | %s | %s | %s |\n", g, s.n, pct(s.ok, s.n), pct(s.ar, s.n), pct(s.bok, s.n), pct(s.bar, s.n))
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| label | scope | precision % | recall % | lingua precision % | lingua recall % |")
	fmt.Fprintln(out, "| --- | --- | ---: | ---: | ---: | ---: |")
	row := func(label, scope string, o, b pr) {
		fmt.Fprintf(out, "| %s | %s | %s | %s | %s | %s |\n", label, scope,
			pct(o.tp, o.tp+o.fp), pct(o.tp, o.tp+o.fn), pct(b.tp, b.tp+b.fp), pct(b.tp, b.tp+b.fn))
	}
	row("ar", "all sets", arOurs, arBase)
	row("ar", "NTREX 14 languages", ntrexArOurs, ntrexArBase)
	row(detect.Arabizi, "all sets", alOurs, alBase)
	return nil
}

func accName(a detect.Accuracy) string {
	return [...]string{"mixed", "high", "low"}[a]
}
