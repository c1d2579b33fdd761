package eval

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestReadDatasetErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"not JSON", `{"id":"a","text":"x"}` + "\n" + `{"id":"b",`, 2, "invalid JSON"},
		{"missing id", `{"text":"x"}`, 1, `missing "id"`},
		{"missing text", `{"id":"a","text":"  "}`, 1, `missing "text"`},
		{"unknown field", `{"id":"a","text":"x","reference_sumary":"y"}`, 1, "reference_sumary"},
		{"duplicate id", `{"id":"a","text":"x"}` + "\n\n" + `{"id":"a","text":"y"}`, 3, "duplicate id"},
		{"two values", `{"id":"a","text":"x"} {"id":"b","text":"y"}`, 1, "more than one value"},
		{"keywords not a list", `{"id":"a","text":"x","reference_keywords":"k"}`, 1, "invalid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadDataset(strings.NewReader(tc.in), "data.jsonl")
			var le *LineError
			if !errors.As(err, &le) || !errors.Is(err, ErrData) {
				t.Fatalf("err = %v, want a *LineError wrapping ErrData", err)
			}
			if le.Line != tc.line || le.File != "data.jsonl" {
				t.Errorf("at %s:%d, want line %d", le.File, le.Line, tc.line)
			}
			if !strings.HasPrefix(err.Error(), "data.jsonl:") || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q: want one line starting with the file:line and containing %q", err, tc.msg)
			}
		})
	}
	if _, err := ReadDataset(strings.NewReader("\n\n"), "empty.jsonl"); !errors.Is(err, ErrData) {
		t.Errorf("empty dataset: err = %v", err)
	}
}

func TestReadDatasetRepositorySet(t *testing.T) {
	items := loadItems(t)
	if len(items) < 40 {
		t.Fatalf("%d items", len(items))
	}
	var sum, tr, kw int
	for _, it := range items {
		if it.ReferenceSummary != "" {
			sum++
		}
		if it.ReferenceTranslation != "" {
			tr++
		}
		if len(it.ReferenceKeywords) > 0 {
			kw++
		}
		if it.Document().ID != it.ID || it.Document().Text != it.Text {
			t.Errorf("%s: Document() does not carry the item", it.ID)
		}
	}
	if sum < 20 || tr < 20 || kw < 1 {
		t.Errorf("references: %d summaries, %d translations, %d keyword lists", sum, tr, kw)
	}
}

func TestReadPairs(t *testing.T) {
	in := `{"id":"1","hyp":"a b","ref":"a c"}
{"id":"2","hyp":"","refs":["x","y"],"lang":"ar"}
`
	ps, err := ReadPairs(context.Background(), strings.NewReader(in), "p.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Refs[0] != "a c" || len(ps[1].Refs) != 2 || ps[1].Lang != "ar" || ps[1].Hyp != "" {
		t.Errorf("pairs = %+v", ps)
	}
	bad := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"no hyp", `{"id":"1","ref":"a"}`, 1, `missing "hyp"`},
		{"no ref", `{"id":"1","hyp":"a"}`, 1, `missing "ref"`},
		{"empty refs", `{"id":"1","hyp":"a","refs":[]}`, 1, `missing "ref"`},
		{"both", `{"id":"1","hyp":"a","ref":"b","refs":["c"]}`, 1, "not both"},
		{"no id", `{"hyp":"a","ref":"b"}`, 1, `missing "id"`},
		{"typo", `{"id":"1","hyp":"a","rf":"b"}`, 1, "rf"},
		{"duplicate", `{"id":"1","hyp":"a","ref":"b"}` + "\n" + `{"id":"1","hyp":"a","ref":"b"}`, 2, "duplicate"},
		{"truncated", `{"id":"1","hyp":"a","ref":"b"}` + "\n" + `{"id":"2","hyp":"a","re`, 2, "invalid JSON"},
		{"id not a string", `{"id":1,"hyp":"a","ref":"b"}`, 1, "invalid JSON"},
	}
	for _, tc := range bad {
		_, err := ReadPairs(context.Background(), strings.NewReader(tc.in), "p.jsonl")
		var le *LineError
		if !errors.As(err, &le) || le.Line != tc.line || !strings.Contains(err.Error(), tc.msg) || !errors.Is(err, ErrData) {
			t.Errorf("%s: err = %v, want p.jsonl:%d … %s", tc.name, err, tc.line, tc.msg)
		}
	}
}

func TestReadOutputs(t *testing.T) {
	in := `{"schema":"tarjama.result/v1","id":"a","engine":"offline","summary":{"lang":"en","text":"S.","kind":"extractive"},"future_field":1}
{"id":"b","translation":{"lang":"en","paragraphs":["p1","p2"],"kind":"translation"}}`
	outs, err := ReadOutputs(strings.NewReader(in), "o.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if SummaryText(outs["a"]) != "S." || TranslationText(outs["b"]) != "p1\n\np2" {
		t.Errorf("outputs = %+v %+v", outs["a"], outs["b"])
	}
	_, err = ReadOutputs(strings.NewReader(`{"id":"a"}`+"\n"+`{"id":"a"}`), "o.jsonl")
	if err == nil || !strings.HasPrefix(err.Error(), "o.jsonl:2:") {
		t.Errorf("duplicate: err = %v", err)
	}
}

func FuzzReadPairs(f *testing.F) {
	f.Add(`{"id":"1","hyp":"a b","ref":"a c"}`)
	f.Add(`{"id":"2","hyp":"","refs":["x","y"],"lang":"ar"}` + "\n" + `{"id":"3"`)
	f.Add("\n\n{}")
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ReadPairs(context.Background(), strings.NewReader(in), "f")
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.Line < 1 || !errors.Is(err, ErrData) {
				t.Fatalf("error %v is not a line error", err)
			}
			return
		}
		for _, p := range ps {
			if p.ID == "" || len(p.Refs) == 0 {
				t.Fatalf("accepted invalid pair %+v", p)
			}
		}
	})
}

func FuzzReadDataset(f *testing.F) {
	f.Add(`{"id":"a","text":"x","reference_keywords":["k"]}`)
	f.Add(`{"id":"a","text":"x"}` + "\n" + `{"id":"a","text":"y"}`)
	f.Fuzz(func(t *testing.T, in string) {
		items, err := ReadDataset(strings.NewReader(in), "f")
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("error %v does not wrap ErrData", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, it := range items {
			if it.ID == "" || strings.TrimSpace(it.Text) == "" || seen[it.ID] {
				t.Fatalf("accepted invalid item %+v", it)
			}
			seen[it.ID] = true
		}
	})
}
