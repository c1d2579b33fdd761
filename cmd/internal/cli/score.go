package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tarjama/tarjama/eval"
)

// scoreOptions are tarjama score's flags.
type scoreOptions struct {
	pairs     string
	metrics   string
	stem      bool
	normalize bool
	tokenize  string
	format    string
	workers   int
}

func newScoreCmd(a *App) *cobra.Command {
	o := &scoreOptions{}
	cmd := &cobra.Command{
		Use:   "score --pairs FILE.jsonl",
		Short: "Score given outputs against references (ROUGE, BLEU, chrF, chrF++, TER)",
		Long: `Score system outputs against references, with no pipeline run. Each input
line is {"id", "hyp", "ref"} or {"id", "hyp", "refs": [...]}, with an optional
"lang" (detected from the script when absent: non-Latin text is scored with the
XL-Sum multilingual ROUGE, Latin text with Google's rouge-score).

--format jsonl prints exactly one line per pair, in input order:
{"id", "rouge1": {"precision","recall","f1"}, "rouge2", "rougeL", "rougeLsum",
 "bleu", "chrf", "chrf++", "ter"}; ROUGE on a 0-1 scale, BLEU/chrF/TER on
sacrebleu's 0-100 scale, BLEU is sentence BLEU with effective order. The corpus
scores (ROUGE: mean of the pairs; BLEU/chrF/TER: from summed statistics) go to
stderr with jsonl, and into the output with table and json.

A malformed line stops the command with file:line and exit code 2.`,
		Example: `  tarjama score --pairs outputs.jsonl
  tarjama score --pairs outputs.jsonl --metrics rouge,chrf --stem --format jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.score(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.pairs, "pairs", "", "JSON Lines file of pairs (- for stdin)")
	f.StringVar(&o.metrics, "metrics", "all", "comma-separated metrics: rouge1, rouge2, rougeL, rougeLsum, rouge, bleu, chrf, chrf++, ter, all")
	f.BoolVar(&o.stem, "stem", false, "ROUGE with stemming (Porter for English, the XL-Sum Arabic stemmer for Arabic)")
	f.BoolVar(&o.normalize, "normalize", false, "Arabic normalization before ROUGE (alef forms, diacritics, tatweel); differs from the published XL-Sum scorer")
	f.StringVar(&o.tokenize, "tokenize", "13a", "BLEU tokenizer: 13a, intl, none")
	f.StringVar(&o.format, "format", "table", "output format: table, json, jsonl")
	f.IntVar(&o.workers, "workers", 0, "pairs scored in parallel (default: all cores)")
	return cmd
}

func (a *App) score(ctx context.Context, o *scoreOptions) error {
	if o.pairs == "" {
		return usageErrorf("--pairs FILE is required")
	}
	switch o.format {
	case "table", "json", "jsonl":
	default:
		return usageErrorf("--format %q: want table, json or jsonl", o.format)
	}
	ms, err := eval.ParseMetrics(o.metrics)
	if err != nil {
		return usageErrorf("--metrics: %v", err)
	}
	tok, err := eval.CheckTokenize(o.tokenize)
	if err != nil {
		return usageErrorf("--tokenize: %v", err)
	}
	pairs, err := a.readPairs(ctx, o.pairs)
	if err != nil {
		return err
	}
	res, err := eval.ScorePairs(ctx, pairs, eval.ScoreOptions{
		Metrics: ms, Stem: o.stem, Normalize: o.normalize, Tokenize: tok, Workers: o.workers,
	})
	if err != nil {
		return err
	}
	switch o.format {
	case "jsonl":
		if err := res.WriteJSONL(ctx, a.Stdout); err != nil {
			return err
		}
		if !a.Cfg.Quiet {
			b, _ := json.Marshal(res.Corpus)
			fmt.Fprintf(a.Stderr, "tarjama: corpus %s\n", b)
		}
		return nil
	case "json":
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	return writeScoreTable(a.Stdout, res, ms)
}

func (a *App) readPairs(ctx context.Context, path string) ([]eval.Pair, error) {
	var r io.Reader = a.Stdin
	name := "stdin"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageErrorf("--pairs: %v", err)
		}
		defer f.Close()
		r, name = f, path
	}
	pairs, err := eval.ReadPairs(ctx, r, name)
	if errors.Is(err, eval.ErrData) {
		return nil, usageError(err)
	}
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, usageErrorf("%s has no pairs", name)
	}
	return pairs, nil
}

func writeScoreTable(w io.Writer, res *eval.ScoreResult, ms []string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "id\t")
	for _, m := range ms {
		if m[0] == 'r' {
			fmt.Fprintf(tw, "%s F1\t", m)
		} else {
			fmt.Fprintf(tw, "%s\t", m)
		}
	}
	fmt.Fprintln(tw)
	for _, p := range res.Pairs {
		fmt.Fprintf(tw, "%s\t", p.ID)
		for _, m := range ms {
			fmt.Fprintf(tw, "%s\t", pairValue(p, m))
		}
		fmt.Fprintln(tw)
	}
	c := res.Corpus
	fmt.Fprintf(tw, "corpus (%d pairs)\t", c.N)
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t", corpusValue(c, m))
	}
	fmt.Fprintln(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "ROUGE 0-1 (corpus: mean over pairs); BLEU/chrF/TER 0-100 (corpus: summed statistics, BLEU tokenize %s)\n", c.Tokenize)
	return err
}

func pairValue(p eval.PairScore, m string) string {
	prf := map[string]*eval.PRF{"rouge1": p.Rouge1, "rouge2": p.Rouge2, "rougeL": p.RougeL, "rougeLsum": p.RougeLsum}
	if v, ok := prf[m]; ok && v != nil {
		return fmt.Sprintf("%.4f", v.F1)
	}
	num := map[string]*float64{"bleu": p.BLEU, "chrf": p.ChrF, "chrf++": p.ChrFpp, "ter": p.TER}
	if v := num[m]; v != nil {
		return fmt.Sprintf("%.2f", *v)
	}
	return "-"
}

func corpusValue(c eval.CorpusScores, m string) string {
	prf := map[string]*eval.PRF{"rouge1": c.Rouge1, "rouge2": c.Rouge2, "rougeL": c.RougeL, "rougeLsum": c.RougeLsum}
	if v, ok := prf[m]; ok && v != nil {
		return fmt.Sprintf("%.4f", v.F1)
	}
	if m == "bleu" && c.BLEU != nil {
		return fmt.Sprintf("%.2f", c.BLEU.Score)
	}
	num := map[string]*float64{"chrf": c.ChrF, "chrf++": c.ChrFpp, "ter": c.TER}
	if v := num[m]; v != nil {
		return fmt.Sprintf("%.2f", *v)
	}
	return "-"
}
