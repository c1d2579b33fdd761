package eval

import (
	"context"
	"errors"
	"fmt"
)

// JudgeInput is what an LLM judge sees for one item.
type JudgeInput struct {
	ID string
	// Source is the article; Translation its English translation when the
	// pipeline made one.
	Source, Translation string
	// Reference is the reference summary ("" when the item has none: the
	// judge then rates coverage against the source).
	Reference string
	Summary   string
	// Sample numbers the N samples of one item (0..N-1), so that a cached
	// judge keeps N distinct answers.
	Sample int
}

// JudgeScore is one judge answer, each score 1–5.
type JudgeScore struct {
	Faithfulness float64 `json:"faithfulness"`
	Coverage     float64 `json:"coverage"`
	Fluency      float64 `json:"fluency"`
}

// Validate checks the 1–5 range.
func (s JudgeScore) Validate() error {
	for _, v := range []float64{s.Faithfulness, s.Coverage, s.Fluency} {
		if v < 1 || v > 5 {
			return fmt.Errorf("judge score %g out of range 1-5", v)
		}
	}
	return nil
}

// JudgeModel rates a summary. eval/llmjudge implements it with the LLM
// client and prompts/judge.tmpl; tests use a fake.
type JudgeModel interface {
	Judge(ctx context.Context, in JudgeInput) (JudgeScore, error)
}

// judgeItem averages samples answers. An error of any sample fails the
// item (its judge scores are then missing and the error is reported).
func judgeItem(ctx context.Context, j JudgeModel, in JudgeInput, samples int) (JudgeScore, error) {
	var sum JudgeScore
	for k := range samples {
		in.Sample = k
		s, err := j.Judge(ctx, in)
		if err == nil {
			err = s.Validate()
		}
		if err != nil {
			return JudgeScore{}, fmt.Errorf("judge sample %d: %w", k+1, err)
		}
		sum.Faithfulness += s.Faithfulness
		sum.Coverage += s.Coverage
		sum.Fluency += s.Fluency
	}
	if samples == 0 {
		return JudgeScore{}, errors.New("judge: no samples")
	}
	n := float64(samples)
	return JudgeScore{sum.Faithfulness / n, sum.Coverage / n, sum.Fluency / n}, nil
}
