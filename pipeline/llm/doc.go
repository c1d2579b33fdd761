// Package llm is tarjama's client for OpenAI-compatible chat APIs and the
// only package that imports go-openai and go-retryablehttp.
//
// Entry points: New builds a Client from a plain Config; Client.Chat sends a
// chat request; Client.ChatJSON asks for structured output, falling back from
// json_schema to json_object to plain text as the server allows, and repairs
// one invalid answer; Client.Embed computes embeddings; Client.CheckModel
// tells `tarjama doctor` what to fix. NewCache and NewLimiter build the
// optional response cache and the rate limiter shared by a batch's workers.
//
// Errors are typed: *APIError (with Kind), and the sentinels ErrTruncated,
// ErrEmptyAnswer, ErrContextLength, ErrCacheMiss, ErrInvalidAnswer and
// ErrBadResponse for errors.Is. The fake server for tests is in package
// llmtest.
package llm
