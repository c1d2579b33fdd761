// Package gloss is the embedded engine's Arabic→English word-by-word gloss.
// It reads a dictd dictionary (FreeDict's freedict-ara-eng, which Debian
// ships as dict-freedict-ara-eng and which is GPL, so it is read where it
// is installed and never copied into tarjama) and glosses each word: the
// word whole, else with its clitics split off (وبالكتاب → "and in/with the
// book"), else romanized (قآني → "Qaani"). A gloss is not a translation and
// is labelled as one everywhere.
//
// Entry points:
//   - Find locates the installed dictionary; Open loads it (ErrNoDictionary
//     when there is none, *CorruptError for unreadable files).
//   - Dict.GlossText / Dict.Gloss gloss a text into Tokens and one line.
//   - Translator adapts a Dict to pipeline.Translator.
//   - Romanize writes an Arabic word in Latin letters.
package gloss
