// Package metrics implements the evaluation metrics used by tarjama's eval
// harness as pure Go functions that reproduce the reference implementations
// number for number:
//
//   - ROUGE-1/2/L/Lsum: [ScoreRouge] and [ScoreRougeMulti]. English text is
//     scored like Google's rouge-score (with NLTK's Porter stemmer); any
//     other language like the XL-Sum multilingual scorer (optionally with
//     NLTK's Arabic Snowball stemmer).
//   - BLEU (sacreBLEU 2.6.0): [SentenceBLEU], [CorpusBLEU], and the additive
//     statistics [BLEUSegmentStats] / [BLEUFromStats].
//   - chrF and chrF++: [SentenceChrF], [CorpusChrF], [ChrFSegmentStats],
//     [ChrFFromStats].
//   - TER: [SentenceTER], [CorpusTER], [TERSegmentStats], [TERFromStats].
//   - Keyword precision/recall/F1: [KeywordPRF].
//
// Corpus-level scores are always computed from per-segment sufficient
// statistics that add up, so a caller can bootstrap-resample segments by
// summing statistics instead of re-scoring text.
//
// The golden test in this package checks every record of
// testdata/metric-golden (scores produced by the reference implementations).
package metrics
