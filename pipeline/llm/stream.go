package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/tarjama/tarjama/pipeline/llm/tokens"
)

// ChatStream is Chat with stream=true: onDelta (may be nil) gets each piece
// of content as it arrives, and the Response holds the whole answer. A
// stream that ends with no content is ErrEmptyAnswer; one that ends without
// a finish reason (how a server's mid-stream `error:` line looks through
// go-openai, which reads it as a clean end) is ErrBadResponse. The
// per-attempt RequestTimeout covers the whole stream. A cache hit calls
// onDelta once with the cached answer.
func (c *Client) ChatStream(ctx context.Context, req Request, onDelta func(string)) (*Response, error) {
	key := c.cacheKey(req, "", nil)
	if r, err := c.cacheGet(key); err != nil {
		return nil, err
	} else if r != nil {
		if onDelta != nil {
			onDelta(r.Content)
		}
		return r, nil
	}
	if len(req.Messages) == 0 {
		return nil, errors.New("llm: chat request has no messages")
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Deadline)
	defer cancel()
	model := req.Model
	if model == "" {
		model = c.cfg.Model
	}
	est := req.MaxTokens
	for _, m := range req.Messages {
		est += tokens.Estimate(m.Content) + 4
	}
	if err := c.checkFits(req, model, est); err != nil {
		return nil, err
	}
	st := &callState{estTokens: est}
	ctx = withState(ctx, st)
	if c.cfg.Limiter != nil {
		if err := c.cfg.Limiter.wait(ctx, est); err != nil {
			return nil, c.wrapCtx(ctx, err)
		}
	}
	oreq := c.openaiRequest(model, req, nil)
	oreq.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	stream, err := c.oa.CreateChatCompletionStream(ctx, oreq)
	if err != nil {
		attempts, retries := st.snapshot()
		if c.cfg.Limiter != nil {
			c.cfg.Limiter.adjust(est, 0)
		}
		return &Response{Model: model, Attempts: attempts, Retries: retries}, c.mapError(ctx, err, model, attempts)
	}
	defer stream.Close()

	var sb strings.Builder
	r := &Response{Model: model}
	for {
		chunk, rerr := stream.Recv()
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
		if chunk.Model != "" {
			r.Model = chunk.Model
		}
		if chunk.Usage != nil {
			r.Usage = Usage{chunk.Usage.PromptTokens, chunk.Usage.CompletionTokens}
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			if d := ch.Delta.Content; d != "" {
				sb.WriteString(d)
				if onDelta != nil {
					onDelta(d)
				}
			}
			if ch.FinishReason != "" {
				r.FinishReason = string(ch.FinishReason)
			}
		}
	}
	r.Content = sb.String()
	r.Attempts, r.Retries = st.snapshot()
	if c.cfg.Limiter != nil {
		c.cfg.Limiter.adjust(est, r.Usage.PromptTokens+r.Usage.CompletionTokens)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return r, c.wrapCtx(ctx, err)
	case err != nil:
		return r, fmt.Errorf("llm: stream from %s broke after %d bytes: %w: %s", c.endpoint, sb.Len(), ErrBadResponse, c.scrub(err.Error()))
	case c.checkPromptCut(req, model, r.Usage.PromptTokens, est) != nil:
		return r, c.checkPromptCut(req, model, r.Usage.PromptTokens, est)
	case strings.TrimSpace(r.Content) == "":
		return r, fmt.Errorf("llm: model %s at %s streamed no content: %w", model, c.endpoint, ErrEmptyAnswer)
	case r.FinishReason == "":
		return r, fmt.Errorf("llm: stream from %s ended without a finish reason after %d bytes (the server reported an error mid-stream?): %w", c.endpoint, sb.Len(), ErrBadResponse)
	case r.FinishReason == string(openai.FinishReasonLength):
		return r, fmt.Errorf("llm: model %s stopped after %d tokens (max_tokens %d): %w", model, r.Usage.CompletionTokens, req.MaxTokens, ErrTruncated)
	}
	c.cachePut(key, req, r)
	return r, nil
}
