// Package batch runs a Processor (a *pipeline.Pipeline) over a stream of
// documents with bounded concurrency, writing one record per document and
// a checkpoint so that a crash, kill -9 or Ctrl-C costs no work and loses
// or duplicates no document.
//
// Entry points: Run processes a stream of input.Items; Estimate plans a
// run without calling anything (for --dry-run and the progress total);
// Stats holds the live counters a caller renders as progress; LoadPrices
// and DefaultPrices give the price table used for the cost estimate;
// ParseShard reads --shard K/N; NewTransport counts HTTP attempts by cause.
//
// Output is JSON Lines in completion order (each line one whole
// pipeline.Result, with its id) or a directory of <id>.json files. A failed
// document's record is its Result with Errors set. The checkpoint beside
// the output (OUT.checkpoint.jsonl, or DIR/.tarjama-checkpoint.jsonl) has
// one line per record written: {"id","sha256","status","end"}, appended and
// fsynced after the output line is fsynced; see checkpoint.go for how a
// reopened output is repaired.
package batch
