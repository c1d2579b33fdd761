package eval

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/tarjama/tarjama/pipeline"
)

// Runner produces a result for one document: the pipeline.
type Runner interface {
	Run(ctx context.Context, doc pipeline.Document) (*pipeline.Result, error)
}

var _ Runner = (*pipeline.Pipeline)(nil)

// PipelineRunner runs p with each item's summary language: an item whose
// reference summary is Arabic is summarized in Arabic, so ROUGE compares
// like with like. Other options are p's.
func PipelineRunner(p *pipeline.Pipeline, items []Item) Runner {
	langs := map[string]string{}
	for i := range items {
		if items[i].ReferenceSummary != "" {
			langs[items[i].ID] = items[i].summaryLang()
		}
	}
	return &langRunner{p: p, langs: langs}
}

type langRunner struct {
	p     *pipeline.Pipeline
	langs map[string]string
}

func (r *langRunner) Run(ctx context.Context, doc pipeline.Document) (*pipeline.Result, error) {
	lang, ok := r.langs[doc.ID]
	if !ok || lang == r.p.Options.SummaryLang {
		return r.p.Run(ctx, doc)
	}
	p := *r.p
	p.Options.SummaryLang = lang
	return p.Run(ctx, doc)
}

// Runs holds K results per item (K = --repeat), in dataset order.
type Runs [][]*pipeline.Result

// RunOptions configures Run.
type RunOptions struct {
	// Repeat runs each item this many times (1 when 0).
	Repeat int
	// Workers is the number of concurrent Runner calls (4 when 0).
	Workers int
	// Progress, when set, is called after each finished run (from several
	// goroutines; done counts runs, total = items × repeat).
	Progress func(done, total int)
}

// Run runs the system over the items. The pipeline records step failures
// in the result, so an error here means ctx was cancelled or the runner
// failed outright.
func Run(ctx context.Context, items []Item, r Runner, opt RunOptions) (Runs, error) {
	k := max(opt.Repeat, 1)
	workers := opt.Workers
	if workers <= 0 {
		workers = 4
	}
	runs := make(Runs, len(items))
	for i := range runs {
		runs[i] = make([]*pipeline.Result, k)
	}
	total := len(items) * k
	var done atomic.Int64
	var (
		mu       sync.Mutex
		firstErr error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	err := parallel(ctx, total, workers, 1, func(j int) {
		i, rep := j/k, j%k
		res, err := r.Run(ctx, items[i].Document())
		if err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = fmt.Errorf("item %q: %w", items[i].ID, err)
			}
			mu.Unlock()
			cancel()
			return
		}
		runs[i][rep] = res
		if opt.Progress != nil {
			opt.Progress(int(done.Add(1)), total)
		}
	})
	if firstErr != nil {
		return nil, firstErr
	}
	if err != nil {
		return nil, err
	}
	return runs, nil
}

// OutputsFor matches saved results to the items by id. An item with no
// result is a data error (ErrData): scoring it as empty would report a
// regression that is only a missing line.
func OutputsFor(items []Item, outputs map[string]*pipeline.Result, name string) (Runs, error) {
	runs := make(Runs, len(items))
	var missing []string
	for i, it := range items {
		res, ok := outputs[it.ID]
		if !ok {
			missing = append(missing, it.ID)
			continue
		}
		runs[i] = []*pipeline.Result{res}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 3 {
			more = fmt.Sprintf(" and %d more", len(missing)-3)
			missing = missing[:3]
		}
		return nil, dataErrorf("%s has no result for %d dataset items: %q%s", name, len(runs)-countNonNil(runs), missing, more)
	}
	return runs, nil
}

func countNonNil(r Runs) int {
	n := 0
	for _, x := range r {
		if x != nil {
			n++
		}
	}
	return n
}

// Config configures Score.
type Config struct {
	ScoreConfig
	// Bootstrap is the number of resamples for intervals and p-values
	// (1000 when 0; negative: none).
	Bootstrap int
	Seed      uint64
	// Alpha is the significance level of --max-drop (0.05 when 0).
	Alpha float64
	// Judge, when set, rates each summary JudgeSamples times (1 when 0).
	Judge        JudgeModel
	JudgeName    string
	JudgeSamples int
	// JudgeWorkers is the number of concurrent judge calls (4 when 0).
	JudgeWorkers int
	// Baseline is compared with, metric by metric, on the items both
	// reports have; BaselineName names it in the reports.
	Baseline     *Report
	BaselineName string
	// Checks is the gate.
	Checks []Check
	// UnstableRange flags an item whose main metric (on a 0–1 scale)
	// varies by more than this across repeats (0.05 when 0).
	UnstableRange float64
	// Dataset names the dataset in the reports.
	Dataset string
}

func (c *Config) defaults() {
	if c.Bootstrap == 0 {
		c.Bootstrap = 1000
	}
	if c.Bootstrap < 0 {
		c.Bootstrap = 0
	}
	if c.Alpha == 0 {
		c.Alpha = 0.05
	}
	if c.JudgeSamples <= 0 {
		c.JudgeSamples = 1
	}
	if c.JudgeWorkers <= 0 {
		c.JudgeWorkers = 4
	}
	if c.UnstableRange == 0 {
		c.UnstableRange = 0.05
	}
}

// Evaluate runs r over items and scores the results (Run, then Score).
func Evaluate(ctx context.Context, items []Item, r Runner, ropt RunOptions, cfg Config) (*Report, error) {
	runs, err := Run(ctx, items, r, ropt)
	if err != nil {
		return nil, err
	}
	return Score(ctx, items, runs, cfg)
}

// Score scores runs (one or more results per item) and builds the report:
// corpus scores with bootstrap intervals, the comparison with the baseline
// and the gate. The error wraps ErrData for unusable input (a gate metric
// with no value, a baseline scored with other settings).
func Score(ctx context.Context, items []Item, runs Runs, cfg Config) (*Report, error) {
	cfg.defaults()
	tok, err := CheckTokenize(cfg.Tokenize)
	if err != nil {
		return nil, err
	}
	cfg.Tokenize = tok
	if len(runs) != len(items) {
		return nil, fmt.Errorf("eval: %d runs for %d items", len(runs), len(items))
	}
	k := 0
	for _, r := range runs {
		k = max(k, len(r))
	}
	rep := &Report{
		Schema:  ReportSchema,
		Dataset: cfg.Dataset,
		System:  systemInfo(runs),
		Config: ReportConfig{
			Tokenize: cfg.Tokenize, Stem: cfg.Stem, Normalize: cfg.Normalize,
			Bootstrap: cfg.Bootstrap, Seed: cfg.Seed, Alpha: cfg.Alpha, Repeat: k,
			UnstableRange: cfg.UnstableRange,
		},
		NItems: len(items),
		Items:  make([]ItemReport, len(items)),
	}
	if cfg.Judge != nil {
		rep.Config.JudgeSamples = cfg.JudgeSamples
		rep.System.Judge = cfg.JudgeName
	}

	err = parallel(ctx, len(items), 0, 1, func(i int) {
		rep.Items[i] = scoreRuns(&items[i], runs[i], cfg)
	})
	if err != nil {
		return nil, err
	}
	for i := range rep.Items {
		if s := rep.Items[i].Spread; s != nil && s.Unstable {
			rep.Unstable = append(rep.Unstable, items[i].ID)
		}
	}
	if cfg.Judge != nil {
		if err := judgeAll(ctx, items, runs, rep, cfg); err != nil {
			return nil, err
		}
	}

	ss := seriesOf(rep.Items)
	cis, err := bootstrapCI(ctx, ss, cfg.Tokenize, cfg.Bootstrap, cfg.Seed)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		ci, ok := cis[s.def.Name]
		if !ok {
			continue
		}
		n := 0
		for _, st := range s.stats {
			if st != nil {
				n++
			}
		}
		rep.Metrics = append(rep.Metrics, MetricReport{
			Name: s.def.Name, Group: s.def.Group, Direction: s.def.Direction,
			N: n, Value: ci[0], Low: ci[1], High: ci[2],
		})
	}
	if cfg.Baseline != nil {
		if err := compare(ctx, rep, cfg); err != nil {
			return nil, err
		}
	}
	if len(cfg.Checks) > 0 {
		g, err := gate(rep, cfg.Checks, cfg.Alpha)
		if err != nil {
			return nil, err
		}
		rep.Gate = g
	}
	return rep, nil
}

// scoreRuns scores an item's K results: per-item scores are means over the
// runs, statistics are sums, and the main metric's spread is recorded when
// K > 1.
func scoreRuns(it *Item, results []*pipeline.Result, cfg Config) ItemReport {
	ir := ItemReport{ID: it.ID, Scores: map[string]float64{}, Stats: map[string][]float64{}}
	main, scale := mainMetric(it)
	ir.Main = main
	var mains []float64
	seenErr := map[string]bool{}
	for k, res := range results {
		s := scoreItem(it, res, cfg.ScoreConfig)
		for name, v := range s.scores {
			ir.Scores[name] += v / float64(len(results))
		}
		for name, st := range s.stats {
			ir.Stats[name] = addTo(ir.Stats[name], st)
		}
		if v, ok := s.scores[main]; ok {
			mains = append(mains, v/scale)
		}
		if k == 0 {
			switch main {
			case "chrf":
				ir.Hyp, ir.Ref = s.translation, flat(it.ReferenceTranslation)
			case "keywords.f1":
				ir.Hyp = fmt.Sprint(predictedKeywords(res, ScriptLang(fmt.Sprint(it.ReferenceKeywords))))
				ir.Ref = fmt.Sprint(it.ReferenceKeywords)
			case "rougeL":
				ir.Hyp, ir.Ref = s.summary, it.ReferenceSummary
			}
		}
		if res == nil {
			continue
		}
		for _, e := range res.Errors {
			msg := e.Step + ": " + e.Message
			if !seenErr[msg] {
				seenErr[msg] = true
				ir.Errors = append(ir.Errors, msg)
			}
		}
	}
	if len(results) > 1 && len(mains) > 1 {
		lo, hi := slices.Min(mains), slices.Max(mains)
		mean := 0.0
		for _, v := range mains {
			mean += v
		}
		mean /= float64(len(mains))
		vr := 0.0
		for _, v := range mains {
			vr += (v - mean) * (v - mean)
		}
		ir.Spread = &Spread{
			Values: mains, Std: math.Sqrt(vr / float64(len(mains)-1)),
			Range: hi - lo, Unstable: hi-lo > cfg.UnstableRange,
		}
	}
	return ir
}

// seriesOf gathers each metric's per-item statistics, in Metrics order;
// metrics no item has are left out.
func seriesOf(items []ItemReport) []series {
	var out []series
	for _, def := range Metrics {
		s := series{def: def, stats: make([][]float64, len(items))}
		any := false
		for i := range items {
			if st, ok := items[i].Stats[def.Name]; ok {
				s.stats[i] = st
				any = true
			}
		}
		if any {
			out = append(out, s)
		}
	}
	return out
}

func systemInfo(runs Runs) SystemInfo {
	var si SystemInfo
	models, prompts := map[string]bool{}, map[string]bool{}
	for _, rr := range runs {
		for _, r := range rr {
			if r == nil {
				continue
			}
			if si.Engine == "" {
				si.Engine = r.Engine
			}
			for _, t := range r.Trace {
				if t.Model != "" {
					models[t.Model] = true
				}
				if t.Prompt != "" {
					prompts[t.Prompt] = true
				}
			}
		}
	}
	si.Models, si.Prompts = sortedKeys(models), sortedKeys(prompts)
	return si
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// judgeAll runs the judge on every item's first result that has a
// summary. A failing item is reported in its errors and left out of the
// judge metrics; a cancelled ctx stops everything.
func judgeAll(ctx context.Context, items []Item, runs Runs, rep *Report, cfg Config) error {
	err := parallel(ctx, len(items), cfg.JudgeWorkers, 1, func(i int) {
		var res *pipeline.Result
		if len(runs[i]) > 0 {
			res = runs[i][0]
		}
		sum := SummaryText(res)
		if sum == "" {
			return
		}
		in := JudgeInput{ID: items[i].ID, Source: items[i].Text, Translation: TranslationText(res), Reference: items[i].ReferenceSummary, Summary: sum}
		js, err := judgeItem(ctx, cfg.Judge, in, cfg.JudgeSamples)
		ir := &rep.Items[i]
		if err != nil {
			ir.Errors = append(ir.Errors, "judge: "+err.Error())
			return
		}
		ir.Judge = &js
		for name, v := range map[string]float64{"judge.faithfulness": js.Faithfulness, "judge.coverage": js.Coverage, "judge.fluency": js.Fluency} {
			ir.Scores[name] = v
			ir.Stats[name] = []float64{v, 1}
		}
	})
	return err
}

// compare fills each metric's Baseline from a paired bootstrap over the
// items both reports have.
func compare(ctx context.Context, rep *Report, cfg Config) error {
	b := cfg.Baseline
	if b.Config.Tokenize != rep.Config.Tokenize || b.Config.Stem != rep.Config.Stem || b.Config.Normalize != rep.Config.Normalize {
		return dataErrorf("baseline %s was scored with tokenize=%s stem=%t normalize=%t, this run with tokenize=%s stem=%t normalize=%t: the numbers are not comparable",
			cfg.BaselineName, b.Config.Tokenize, b.Config.Stem, b.Config.Normalize, rep.Config.Tokenize, rep.Config.Stem, rep.Config.Normalize)
	}
	byID := map[string]*ItemReport{}
	for i := range b.Items {
		byID[b.Items[i].ID] = &b.Items[i]
	}
	var cur, base []ItemReport
	missing := 0
	for _, it := range rep.Items {
		bi, ok := byID[it.ID]
		if !ok {
			missing++
			continue
		}
		cur = append(cur, it)
		base = append(base, *bi)
	}
	rep.Baseline = &BaselineInfo{Name: cfg.BaselineName, System: b.System, Matched: len(cur), Missing: missing}
	if len(cur) == 0 {
		return dataErrorf("baseline %s has none of this dataset's items", cfg.BaselineName)
	}
	cs, bs := seriesOf(cur), seriesOf(base)
	bsBy := map[string]series{}
	for _, s := range bs {
		bsBy[s.def.Name] = s
	}
	for _, s := range cs {
		m := rep.Metric(s.def.Name)
		bser, ok := bsBy[s.def.Name]
		if m == nil || !ok {
			continue
		}
		pr, ok, err := pairedBootstrap(ctx, bser, s, cfg.Tokenize, cfg.Bootstrap, cfg.Seed)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		m.Baseline = &Comparison{
			Value: pr.base, Delta: pr.cur - pr.base, Low: pr.low, High: pr.high,
			PValue: pr.p, Significant: pr.p < cfg.Alpha, N: len(cur),
		}
	}
	return nil
}
