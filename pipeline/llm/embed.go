package llm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"syscall"

	openai "github.com/sashabaranov/go-openai"

	"github.com/tarjama/tarjama/pipeline/llm/tokens"
)

// embedBatch is how many inputs go in one /embeddings request.
const embedBatch = 128

// Embed returns one vector per input, in order ("" model: Config.EmbedModel).
func (c *Client) Embed(ctx context.Context, model string, inputs []string) ([][]float32, Usage, error) {
	if model == "" {
		model = c.cfg.EmbedModel
	}
	var total Usage
	if len(inputs) == 0 {
		return nil, total, nil
	}
	out := make([][]float32, 0, len(inputs))
	for start := 0; start < len(inputs); start += embedBatch {
		batch := inputs[start:min(start+embedBatch, len(inputs))]
		vecs, u, err := c.embed(ctx, model, batch)
		total.PromptTokens += u.PromptTokens
		if err != nil {
			return nil, total, err
		}
		out = append(out, vecs...)
	}
	return out, total, nil
}

func (c *Client) embed(ctx context.Context, model string, batch []string) ([][]float32, Usage, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Deadline)
	defer cancel()
	est := 0
	for _, s := range batch {
		est += tokens.Estimate(s)
	}
	st := &callState{estTokens: est}
	ctx = withState(ctx, st)
	if c.cfg.Limiter != nil {
		if err := c.cfg.Limiter.wait(ctx, est); err != nil {
			return nil, Usage{}, c.wrapCtx(ctx, err)
		}
	}
	resp, err := c.oa.CreateEmbeddings(ctx, openai.EmbeddingRequest{Input: batch, Model: openai.EmbeddingModel(model)})
	attempts, _ := st.snapshot()
	if err != nil {
		if c.cfg.Limiter != nil {
			c.cfg.Limiter.adjust(est, 0)
		}
		return nil, Usage{}, c.mapError(ctx, err, model, attempts)
	}
	u := Usage{PromptTokens: resp.Usage.PromptTokens}
	if c.cfg.Limiter != nil {
		c.cfg.Limiter.adjust(est, u.PromptTokens)
	}
	if len(resp.Data) != len(batch) {
		return nil, u, fmt.Errorf("llm: %s returned %d embeddings for %d inputs: %w", c.endpoint, len(resp.Data), len(batch), ErrBadResponse)
	}
	sort.SliceStable(resp.Data, func(i, j int) bool { return resp.Data[i].Index < resp.Data[j].Index })
	vecs := make([][]float32, len(batch))
	for i, d := range resp.Data {
		if d.Index != i || len(d.Embedding) == 0 {
			return nil, u, fmt.Errorf("llm: %s: embedding %d missing or empty: %w", c.endpoint, i, ErrBadResponse)
		}
		vecs[i] = d.Embedding
	}
	return vecs, u, nil
}

// Models lists the model IDs the endpoint offers.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	st := &callState{noRetry: true}
	list, err := c.oa.ListModels(withState(ctx, st))
	if err != nil {
		return nil, c.mapError(ctx, err, c.cfg.Model, 1)
	}
	ids := make([]string, len(list.Models))
	for i, m := range list.Models {
		ids[i] = m.ID
	}
	return ids, nil
}

// CheckModel checks, without retrying, that the endpoint answers, accepts
// the key and offers the configured model. Its error is one line saying
// what to fix, for `tarjama doctor`; it wraps the cause.
func (c *Client) CheckModel(ctx context.Context) error {
	ids, err := c.Models(ctx)
	if err != nil {
		return c.explain(ctx, err)
	}
	if len(ids) == 0 {
		return nil // some servers list nothing; the first chat will tell
	}
	for _, id := range ids {
		if id == c.cfg.Model || (c.cfg.APIType == "azure") {
			return nil
		}
	}
	shown := ids
	if len(shown) > 8 {
		shown = shown[:8]
	}
	more := ""
	if len(ids) > len(shown) {
		more = fmt.Sprintf(" (and %d more)", len(ids)-len(shown))
	}
	return &APIError{Status: 404, Kind: "not_found", Model: c.cfg.Model, Endpoint: c.endpoint,
		Message: "the server offers: " + strings.Join(shown, ", ") + more}
}

// explain turns a failed models request into "what to fix".
func (c *Client) explain(ctx context.Context, err error) error {
	var ae *APIError
	var dns *net.DNSError
	host := c.endpoint
	if u, perr := url.Parse(c.endpoint); perr == nil {
		host = u.Host
	}
	switch {
	case errors.As(err, &ae) && ae.Kind == "auth":
		return err
	case errors.As(err, &ae) && ae.Status == 404:
		return fmt.Errorf("no models list at %s (404): check the base URL (it usually ends in /v1): %w", c.endpoint, err)
	case errors.As(err, &ae):
		return fmt.Errorf("%s answered %d to the models list: %w", c.endpoint, ae.Status, err)
	case errors.As(err, &dns):
		return fmt.Errorf("cannot resolve host %s: check the base URL and your network/DNS: %w", host, err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("connection refused by %s: is the server running, and is the port in the base URL right?: %w", host, err)
	case errors.Is(err, context.Canceled):
		return err
	case isTimeout(err) || ctx.Err() != nil:
		return fmt.Errorf("no answer from %s within %s: check the base URL, network and proxy, or raise the timeout: %w", c.endpoint, c.cfg.RequestTimeout, err)
	}
	return fmt.Errorf("cannot reach %s: %w", c.endpoint, err)
}
