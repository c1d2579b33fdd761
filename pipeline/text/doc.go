// Package text holds the language utilities that tarjama's offline engine
// and its evaluation share, for Arabic and English:
//
//   - Sentences and Paragraphs segment text (sentence spans are byte
//     offsets, so callers can map back to the source);
//   - Normalize is the one Arabic/Latin matching normalization (diacritics,
//     tatweel, alef/ya/ta-marbuta variants, Arabic-Indic digits, case);
//   - Tokens and Words split text into words;
//   - IsStopWord answers from embedded stopwords-iso lists (MIT);
//   - Stem (Snowball, Arabic and English) and LightStem (Arabic proclitics).
//
// Everything here is a pure function of its input.
package text
