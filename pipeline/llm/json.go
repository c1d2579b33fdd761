package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// Schema is a JSON Schema for structured output. Build it by hand (a
// json.RawMessage): go-openai's generator leaves omitempty fields out of
// "required", which strict mode rejects. ChatJSON makes it strict anyway
// (see StrictSchema).
type Schema struct {
	Name   string
	Schema json.RawMessage
}

// The structured-output formats, in the order ChatJSON tries them.
var formats = []string{"json_schema", "json_object", "text"}

// ChatJSON asks for an answer matching schema, decodes it into out (a
// pointer) and calls validate (nil: no check). It tries response_format
// json_schema, then json_object, then plain text with the JSON cut out of
// the answer, moving on when the server rejects a format (400/500 naming
// response_format) or ignores it (the answer is not JSON); the Client
// remembers how far it had to go. An answer that fails decoding or validate
// gets exactly one repair retry quoting the error; if that fails too the
// error wraps ErrInvalidAnswer. Usage and attempts add up over all requests.
func (c *Client) ChatJSON(ctx context.Context, req Request, schema Schema, out any, validate func() error) (*Response, error) {
	if rv := reflect.ValueOf(out); rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, errors.New("llm: ChatJSON needs a non-nil pointer to decode into")
	}
	strict, err := StrictSchema(schema.Schema)
	if err != nil {
		return nil, fmt.Errorf("llm: schema %s: %w", schema.Name, err)
	}
	name := schema.Name
	if name == "" {
		name = "answer"
	}
	check := func(content string) error {
		obj, ok := ExtractJSON(content)
		if !ok {
			return errors.New("the answer is not a JSON object")
		}
		reflect.ValueOf(out).Elem().SetZero()
		if err := json.Unmarshal([]byte(obj), out); err != nil {
			return fmt.Errorf("the JSON does not match the schema: %v", err)
		}
		if validate != nil {
			return validate()
		}
		return nil
	}

	key := c.cacheKey(req, "json:"+name, strict)
	if r, err := c.cacheGet(key); err != nil {
		return nil, err
	} else if r != nil {
		if err := check(r.Content); err == nil {
			return r, nil
		}
		c.log.Warn("llm: cached answer no longer validates; asking again", "key", key)
	}

	total := &Response{}
	add := func(r *Response) {
		if r == nil {
			return
		}
		total.Content, total.FinishReason, total.Model = r.Content, r.FinishReason, r.Model
		total.Usage.PromptTokens += r.Usage.PromptTokens
		total.Usage.CompletionTokens += r.Usage.CompletionTokens
		total.Attempts += r.Attempts
		for k, v := range r.Retries {
			if total.Retries == nil {
				total.Retries = map[string]int{}
			}
			total.Retries[k] += v
		}
	}

	level := int(c.format.Load())
	var r *Response
	for {
		r, err = c.chat(ctx, c.jsonRequest(req, level, name, strict), responseFormat(level, name, strict))
		add(r)
		if err != nil {
			if level < len(formats)-1 && formatRejected(err) {
				c.log.Info("llm: server rejects response_format, falling back", "format", formats[level], "endpoint", c.endpoint)
				level = c.fallback(level)
				continue
			}
			return total, err
		}
		if _, ok := ExtractJSON(r.Content); !ok && level < len(formats)-1 {
			c.log.Info("llm: server ignored response_format, falling back", "format", formats[level], "endpoint", c.endpoint)
			level = c.fallback(level)
			continue
		}
		break
	}
	total.Format = formats[level]

	if verr := check(r.Content); verr != nil {
		c.log.Info("llm: invalid structured answer, repairing once", "prompt", req.Prompt, "error", verr)
		rep := req
		rep.Messages = append(append([]Message(nil), req.Messages...),
			Message{Role: "assistant", Content: r.Content},
			Message{Role: "user", Content: RepairPrompt(verr)})
		r, err = c.chat(ctx, c.jsonRequest(rep, level, name, strict), responseFormat(level, name, strict))
		add(r)
		if err != nil {
			return total, fmt.Errorf("llm: repair retry: %w", err)
		}
		if verr2 := check(r.Content); verr2 != nil {
			return total, fmt.Errorf("llm: %w after one repair: %v (first answer: %v)", ErrInvalidAnswer, verr2, verr)
		}
	}
	c.cachePut(key, req, total)
	return total, nil
}

// RepairPrompt is the message that asks the model to fix an invalid answer.
func RepairPrompt(verr error) string {
	return "Your previous answer was not valid: " + verr.Error() +
		"\nAnswer again with only the corrected JSON object, matching the schema, and nothing else."
}

func (c *Client) fallback(level int) int {
	level++
	for {
		cur := c.format.Load()
		if int(cur) >= level || c.format.CompareAndSwap(cur, int32(level)) {
			return level
		}
	}
}

// Format reports the structured-output format the client now starts with.
func (c *Client) Format() string { return formats[c.format.Load()] }

func responseFormat(level int, name string, schema json.RawMessage) *openai.ChatCompletionResponseFormat {
	switch formats[level] {
	case "json_schema":
		return &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: name, Schema: schema, Strict: true},
		}
	case "json_object":
		return &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return nil
}

// jsonRequest adds the schema to the system prompt when the server will not
// enforce it (json_object needs the word JSON in the prompt anyway).
func (c *Client) jsonRequest(req Request, level int, name string, schema json.RawMessage) Request {
	if formats[level] == "json_schema" {
		return req
	}
	instr := "Answer with a single JSON object only, no prose and no code fences, matching this JSON Schema (" + name + "):\n" + string(schema)
	msgs := append([]Message(nil), req.Messages...)
	if len(msgs) > 0 && msgs[0].Role == "system" {
		msgs[0].Content += "\n\n" + instr
	} else {
		msgs = append([]Message{{Role: "system", Content: instr}}, msgs...)
	}
	req.Messages = msgs
	return req
}

// formatRejected says whether the error is the server refusing the
// response_format (some answer 400, llama-server 500).
func formatRejected(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) || (ae.Status != 400 && ae.Status != 422 && ae.Status != 500) {
		return false
	}
	m := strings.ToLower(ae.Message)
	return strings.Contains(m, "response_format") || strings.Contains(m, "json_schema") ||
		strings.Contains(m, "response format") || strings.Contains(m, "json_object")
}

// ExtractJSON finds the JSON object in a model's answer: the whole answer if
// it is one, else the first ``` fenced block that is one, else the outermost
// {...} that parses. It returns the object's text.
func ExtractJSON(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if isObject(t) {
		return t, true
	}
	rest := t
	for {
		i := strings.Index(rest, "```")
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		j := strings.Index(rest, "```")
		if j < 0 {
			break
		}
		block := rest[:j]
		if nl := strings.IndexByte(block, '\n'); nl >= 0 && !strings.Contains(block[:nl], "{") {
			block = block[nl+1:] // drop the info string ("json")
		}
		if b := strings.TrimSpace(block); isObject(b) {
			return b, true
		}
		rest = rest[j+3:]
	}
	// The outermost object: from each '{', the balanced span, if it parses.
	// At most 32 starts, so a garbage answer full of braces stays linear.
	for start, tries := 0, 0; start < len(t) && tries < 32; tries++ {
		i := strings.IndexByte(t[start:], '{')
		if i < 0 {
			break
		}
		i += start
		if end := matchBrace(t, i); end > i && isObject(t[i:end+1]) {
			return t[i : end+1], true
		}
		start = i + 1
	}
	return "", false
}

// matchBrace returns the index of the '}' closing the '{' at i, skipping
// strings, or -1.
func matchBrace(s string, i int) int {
	depth, inStr, esc := 0, false, false
	for k := i; k < len(s); k++ {
		ch := s[k]
		switch {
		case esc:
			esc = false
		case inStr && ch == '\\':
			esc = true
		case ch == '"':
			inStr = !inStr
		case inStr:
		case ch == '{':
			depth++
		case ch == '}':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

func isObject(s string) bool {
	return strings.HasPrefix(s, "{") && json.Valid([]byte(s))
}

// StrictSchema rewrites a JSON Schema for OpenAI's strict mode: every object
// gets "additionalProperties": false and lists all its properties in
// "required" (strict mode has no optional fields; make a field nullable
// instead).
func StrictSchema(raw json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, errors.New("empty schema")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	strictify(v)
	return json.Marshal(v)
}

func strictify(v any) {
	switch x := v.(type) {
	case map[string]any:
		if props, ok := x["properties"].(map[string]any); ok {
			keys := make([]string, 0, len(props))
			for k := range props {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			req := make([]any, len(keys))
			for i, k := range keys {
				req[i] = k
			}
			x["required"] = req
			x["additionalProperties"] = false
		}
		for _, child := range x {
			strictify(child)
		}
	case []any:
		for _, child := range x {
			strictify(child)
		}
	}
}
