// Package llm is tarjama's client for OpenAI-compatible chat APIs and the
// only package that imports go-openai and go-retryablehttp.
//
// Entry points: New builds a Client from a plain Config; Client.Chat sends a
// chat request; Client.ChatJSON asks for structured output, falling back from
// json_schema to json_object to plain text as the server allows, and repairs
// one invalid answer; Client.ChatStream streams; Client.Embed computes
// embeddings; Client.CheckModel
// tells `tarjama doctor` what to fix. NewCache and NewLimiter build the
// optional response cache and the rate limiter shared by a batch's workers.
//
// Errors are typed: *APIError (with Kind), and the sentinels ErrTruncated,
// ErrEmptyAnswer, ErrContextLength, ErrCacheMiss, ErrInvalidAnswer and
// ErrBadResponse for errors.Is.
//
// Retries happen inside go-retryablehttp (given to go-openai as its
// HTTPClient): connection errors, timeouts, 408, 409, 429 and 5xx (not 501),
// waiting what the server asks (Retry-After, retry-after-ms,
// x-ratelimit-reset-*) or a jittered exponential backoff, never more than
// MaxRetryWait, and never past the call's Deadline. An identical 500 is
// tried twice, not MaxRetries times; 429 insufficient_quota is not retried.
//
// The fake server for tests is package llmtest.
package llm
