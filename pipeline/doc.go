// Package pipeline is tarjama's public API: the document model, the result
// schema, and Pipeline.Run, which takes one Document through
// detect → clean → translate → summarize+keywords.
//
// The steps are typed, not a generic Stage interface: a Detector, a Cleaner,
// a Translator and an Analyzer, each declared here where the pipeline uses
// it. Engines (pipeline/llmengine for an OpenAI-compatible API,
// pipeline/offline for the embedded engine) implement Translator and
// Analyzer; the CLI wires them. English input skips translation with a plain
// if, and eval can call each step alone.
package pipeline
