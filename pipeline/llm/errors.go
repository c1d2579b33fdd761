package llm

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, for errors.Is.
var (
	// ErrTruncated: the answer stopped at max_tokens (finish_reason
	// "length"). The partial Response is returned with it.
	ErrTruncated = errors.New("answer truncated at max_tokens (finish_reason \"length\")")
	// ErrEmptyAnswer: the server answered 200 with no content.
	ErrEmptyAnswer = errors.New("the server returned an empty answer")
	// ErrContextLength: the prompt does not fit the model's context window;
	// the caller can split the input and try again.
	ErrContextLength = errors.New("prompt exceeds the model's context length")
	// ErrCacheMiss: replay mode found no cached answer.
	ErrCacheMiss = errors.New("cache miss")
	// ErrInvalidAnswer: a structured answer failed decoding or validation
	// even after the repair retry.
	ErrInvalidAnswer = errors.New("invalid structured answer")
	// ErrBadResponse: the server's 200 body could not be decoded (malformed
	// or cut-off JSON).
	ErrBadResponse = errors.New("malformed response from the server")
)

// APIError is an error status from the API, classified.
type APIError struct {
	Status int
	// Kind is "auth", "not_found", "context_length", "rate_limit", "server"
	// or "bad_request".
	Kind string
	// Message is the server's own message (with the API key masked).
	Message string
	// Code and Type are the OpenAI error fields when present.
	Code, Type string
	// Model and Endpoint say what was asked of whom.
	Model, Endpoint string
	// Attempts is how many HTTP attempts were made before giving up.
	Attempts int
}

func (e *APIError) Error() string {
	var s string
	switch e.Kind {
	case "auth":
		if e.Status == 403 {
			s = "access denied (403): check that OPENAI_API_KEY may use this model and endpoint"
		} else {
			s = fmt.Sprintf("the API key was refused (%d): check OPENAI_API_KEY", e.Status)
		}
	case "not_found":
		s = fmt.Sprintf("model %s not found at %s (404): check the model name and that the base URL ends in /v1", e.Model, e.Endpoint)
	case "context_length":
		if e.Status >= 400 {
			s = fmt.Sprintf("prompt too long for model %s (%d): split the input", e.Model, e.Status)
		} else {
			s = fmt.Sprintf("prompt too long for model %s: split the input", e.Model)
		}
	case "rate_limit":
		if e.Code == "insufficient_quota" {
			s = fmt.Sprintf("the account behind the API key is out of quota (429 insufficient_quota at %s): check billing", e.Endpoint)
		} else {
			s = fmt.Sprintf("rate limited by %s (429) after %d attempts: lower --workers or the rate limit", e.Endpoint, e.Attempts)
		}
	case "server":
		s = fmt.Sprintf("server error from %s (%d) after %d attempts", e.Endpoint, e.Status, e.Attempts)
	default:
		s = fmt.Sprintf("request rejected by %s (%d)", e.Endpoint, e.Status)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is makes errors.Is(err, ErrContextLength) true for a context-length error.
func (e *APIError) Is(target error) bool {
	return target == ErrContextLength && e.Kind == "context_length"
}

// classifyStatus maps an HTTP status and the server's error fields to a Kind.
func classifyStatus(status int, code, typ, msg string) string {
	if isContextLength(code, typ, msg) {
		return "context_length"
	}
	switch {
	case status == 401 || status == 403:
		return "auth"
	case status == 404:
		return "not_found"
	case status == 429:
		return "rate_limit"
	case status >= 500:
		return "server"
	}
	return "bad_request"
}

func isContextLength(code, typ, msg string) bool {
	if code == "context_length_exceeded" || typ == "exceed_context_size_error" {
		return true
	}
	m := strings.ToLower(msg)
	for _, s := range []string{"maximum context length", "context length exceeded", "exceeds the available context size", "context_length_exceeded", "too many tokens", "exceed context window"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// MaskKey returns k with all but its last four characters hidden: "sk-…abcd".
func MaskKey(k string) string {
	if k == "" {
		return ""
	}
	if len(k) <= 8 {
		return "…"
	}
	prefix := ""
	if strings.HasPrefix(k, "sk-") {
		prefix = "sk-"
	}
	return prefix + "…" + k[len(k)-4:]
}
