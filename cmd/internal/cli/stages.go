package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tarjama/tarjama/pipeline"
)

// The single stages. Each reads plain text, documents, or the JSON that an
// earlier stage wrote, adds its part, and writes the Result again, so they
// compose in pipes:
//
//	tarjama detect a.txt | tarjama translate | tarjama summarize | tarjama keywords
func newStageCmds(a *App) []*cobra.Command {
	type stage struct {
		use, short string
		steps      pipeline.Steps
		text       func(*pipeline.Result) string
	}
	stages := []stage{
		{"detect", "Detect the language (local, no API call); also splits off boilerplate", pipeline.Steps{}, func(r *pipeline.Result) string {
			d := r.Language
			var shares []string
			for _, s := range d.Shares {
				shares = append(shares, fmt.Sprintf("%s:%.2f", s.Lang, s.Share))
			}
			return fmt.Sprintf("%s\t%s\t%.3f\t%s\t%s", r.ID, d.Lang, d.Confidence, d.Script, strings.Join(shares, ","))
		}},
		{"translate", "Translate to English, paragraph for paragraph", pipeline.Steps{Translate: true}, func(r *pipeline.Result) string {
			if r.Translation == nil {
				return strings.Join(r.Clean.Paragraphs, "\n\n") + "\n"
			}
			t := strings.Join(r.Translation.Paragraphs, "\n\n")
			if r.Translation.Title != "" {
				t = r.Translation.Title + "\n\n" + t
			}
			return t + "\n"
		}},
		{"summarize", "Summarize for a briefing", pipeline.Steps{Translate: true, Summarize: true}, func(r *pipeline.Result) string {
			if r.Summary == nil {
				return ""
			}
			if len(r.Summary.Bullets) > 0 {
				return "- " + strings.Join(r.Summary.Bullets, "\n- ")
			}
			return r.Summary.Text
		}},
		{"keywords", "Extract keywords and named entities", pipeline.Steps{Keywords: true}, func(r *pipeline.Result) string {
			var b strings.Builder
			for _, k := range r.Keywords {
				fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", r.ID, k.Text, k.Original, k.Type)
			}
			return strings.TrimSuffix(b.String(), "\n")
		}},
	}
	var cmds []*cobra.Command
	for _, st := range stages {
		o := &runOptions{}
		cmd := &cobra.Command{
			Use:   st.use + " [FILE|DIR|-]...",
			Short: st.short,
			Long: st.short + `.

Reads plain text, .jsonl/.json documents, or the JSON written by another
tarjama stage (which it completes rather than redoes), and writes the result
as JSON Lines; --format text prints just this stage's output.`,
			RunE: func(cmd *cobra.Command, args []string) error {
				return a.runPipeline(cmd.Context(), args, o, st.steps, st.text)
			},
		}
		o.addFlags(cmd, "json, md, text")
		cmds = append(cmds, cmd)
	}
	return cmds
}
