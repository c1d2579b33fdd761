// Package tokens counts tokens offline, for budgeting prompts before they
// are sent. Count uses tiktoken's o200k_base encoding (GPT-4o and later),
// loaded from BPE files embedded by tiktoken-go-loader: no network, ever.
// The encoder is built once, on first use (about 3.6 MB of ranks); Estimate
// is a cheap fallback used when it cannot be loaded.
//
// Other models (Llama, Qwen, Jais) have other vocabularies: Count is an
// estimate for them, usually within 10–20% for English and Arabic.
package tokens

import (
	"sync"
	"unicode"
	"unicode/utf8"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// Encoding is the tiktoken encoding Count uses.
const Encoding = "o200k_base"

var (
	once    sync.Once
	enc     *tiktoken.Tiktoken
	loadErr error
)

func load() {
	// SetBpeLoader is tiktoken-go's own global; setting it to the offline
	// loader keeps it from downloading the BPE file.
	tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
	enc, loadErr = tiktoken.GetEncoding(Encoding)
}

// Ready loads the encoder if needed and reports whether Count is exact (true)
// or falls back to Estimate (false, with the load error).
func Ready() (bool, error) {
	once.Do(load)
	return loadErr == nil, loadErr
}

// Count returns the number of o200k_base tokens in text, or Estimate(text)
// if the encoder could not be loaded. Safe for concurrent use.
func Count(text string) int {
	if text == "" {
		return 0
	}
	once.Do(load)
	if loadErr != nil {
		return Estimate(text)
	}
	return len(enc.EncodeOrdinary(text))
}

// Estimate approximates the token count without an encoder: about one token
// per 4 bytes of Latin text and per 2 letters of Arabic script, at least one
// per word, one per 3 digits (plus one per number), and one per punctuation
// mark. It leans high, which is the safe side for budgeting.
func Estimate(text string) int {
	var n, latin, arabic, words, digits int
	inWord := false
	flushDigits := func() {
		if digits > 0 {
			n += (digits+2)/3 + 1
			digits = 0
		}
	}
	for _, r := range text {
		if unicode.IsDigit(r) {
			digits++
			inWord = false
			continue
		}
		flushDigits()
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			if !inWord {
				words++
				inWord = true
			}
			if r < utf8.RuneSelf {
				latin++
			} else {
				arabic++ // Arabic and other scripts: about 2 letters a token
			}
		case unicode.IsSpace(r):
			inWord = false
		default:
			inWord = false
			n++ // punctuation and symbols are usually their own tokens
		}
	}
	flushDigits()
	return n + max(words, (latin+3)/4+(arabic+1)/2)
}
