// Package eval is tarjama's evaluation harness: it reads datasets and
// system outputs, scores them with eval/metrics, puts a seeded bootstrap
// confidence interval on every corpus score, compares a run with a saved
// baseline (paired bootstrap), applies the regression gate and writes the
// reports (terminal table, JSON, JUnit XML, Markdown).
//
// Entry points:
//   - ReadPairs and ScorePairs: score given hypothesis/reference pairs
//     (tarjama score).
//   - LoadDataset, Run (or LoadOutputs + OutputsFor), Score — or Evaluate
//     for Run+Score: run or read a system over a dataset and build a Report
//     with bootstrap intervals, the paired comparison with Config.Baseline
//     (a Report from LoadReport) and the gate (Config.Checks, ParseCheck).
//   - Report.WriteJSON, WriteJUnit, WriteMarkdown, WriteTable.
//   - JudgeModel: the optional LLM judge (eval/llmjudge implements it).
//
// The scoring functions are pure; the only I/O is through a Runner (the
// pipeline) and an optional JudgeModel (an LLM judge).
package eval
