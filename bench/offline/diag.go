package main

import (
	"fmt"

	"github.com/tarjama/tarjama/pipeline/offline"
	"github.com/tarjama/tarjama/pipeline/text"
)

// runDiag prints, for each tuning-half article where the one-sentence
// summary is not the lead, the ROUGE-2 change and the lead's flags.
func runDiag(data string) error {
	recs, err := loadBBC(data, "tune")
	if err != nil {
		return err
	}
	o := offline.DefaultSummaryOptions()
	o.Sentences = 1
	gain, n := 0.0, 0
	byFlag := map[string][2]float64{}
	for _, r := range recs {
		leadText := lead(0)(r)
		got := offline.Summarize(text.Paragraphs(r.Article), "ar", o)
		if len(got) == 0 || got[0].Text == leadText {
			continue
		}
		all := offline.Summarize(text.Paragraphs(r.Article), "ar", offline.SummaryOptions{Sentences: 1000})
		var flags []string
		if len(all) > 0 {
			flags = all[0].Flags
		}
		d := score(got[0].Text, r.Summary).R2.F1 - score(leadText, r.Summary).R2.F1
		gain += d
		n++
		key := fmt.Sprint(flags)
		v := byFlag[key]
		byFlag[key] = [2]float64{v[0] + 1, v[1] + d}
		fmt.Printf("%+.2f idx=%d leadflags=%v\n  LEAD: %.120s\n  GOT : %.120s\n", d, got[0].Index, flags, leadText, got[0].Text)
	}
	fmt.Printf("switched %d of %d; summed R2 gain %.2f (mean over all %+.3f points)\n", n, len(recs), gain, 100*gain/float64(len(recs)))
	for k, v := range byFlag {
		fmt.Printf("  lead flags %-30s n=%3.0f gain %+.2f\n", k, v[0], v[1])
	}
	return nil
}

// runDump writes per-sentence features of the first sentences as JSON
// lines, for offline analysis.
func runDump(data string) error {
	recs, err := loadBBC(data, "all")
	if err != nil {
		return err
	}
	for _, r := range recs {
		o := offline.SummaryOptions{Sentences: 1000}
		all := offline.Summarize(text.Paragraphs(r.Article), "ar", o)
		for i, s := range all {
			if i >= 4 {
				break
			}
			sc := score(s.Text, r.Summary)
			fmt.Printf(`{"id":%q,"tune":%v,"i":%d,"n":%d,"words":%d,"rank":%.4f,"title":%.4f,"flags":%q,"r2":%.4f,"r1":%.4f,"text":%q}`+"\n",
				r.ID, inTuneHalf(r.ID), i, len(all), s.Words, s.Rank, s.Score, fmt.Sprint(s.Flags), sc.R2.F1, sc.R1.F1, s.Text)
		}
	}
	return nil
}
