package brief

import (
	"sort"
	"strings"

	"github.com/tarjama/tarjama/pipeline/text"
)

// entityType maps the keyword types engines write to the briefing's three.
func entityType(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "person", "per", "people":
		return "person"
	case "organization", "organisation", "org":
		return "organization"
	case "location", "loc", "place", "gpe", "country", "city":
		return "location"
	}
	return ""
}

// entities indexes the people, organizations and places in the articles'
// keywords. Two keywords are the same entity when their English or their
// original forms match after normalization; the displayed name is the most
// frequent English (Latin-script) form.
func entities(arts []*article) []Entity {
	type ent struct {
		typ      string
		names    map[string]int
		original map[string]bool
		sources  map[int]bool
	}
	var ents []*ent
	index := map[string]*ent{} // "type|normalized form" → entity
	for _, a := range arts {
		for _, k := range a.res.Keywords {
			typ := entityType(k.Type)
			name := strings.TrimSpace(k.Text)
			orig := strings.TrimSpace(k.Original)
			if typ == "" || (name == "" && orig == "") {
				continue
			}
			if name == "" {
				name = orig
			}
			keys := []string{typ + "|" + text.Normalize(name)}
			if orig != "" {
				keys = append(keys, typ+"|"+text.Normalize(orig))
			}
			var e *ent
			for _, key := range keys {
				if found := index[key]; found != nil {
					e = found
					break
				}
			}
			if e == nil {
				e = &ent{typ: typ, names: map[string]int{}, original: map[string]bool{}, sources: map[int]bool{}}
				ents = append(ents, e)
			}
			for _, key := range keys {
				if index[key] == nil {
					index[key] = e
				}
			}
			e.names[name]++
			if orig != "" && orig != name {
				e.original[orig] = true
			}
			if guessLang(name) != "en" {
				e.original[name] = true
			}
			e.sources[a.n] = true
		}
	}
	out := make([]Entity, 0, len(ents))
	for _, e := range ents {
		var best string
		bestN, bestLatin := -1, false
		for name, c := range e.names {
			latin := guessLang(name) == "en"
			if (latin && !bestLatin) || (latin == bestLatin && (c > bestN || (c == bestN && name < best))) {
				best, bestN, bestLatin = name, c, latin
			}
		}
		x := Entity{Name: best, Type: e.typ, Sources: keysOf(e.sources)}
		for o := range e.original {
			if o != best {
				x.Original = append(x.Original, o)
			}
		}
		sort.Strings(x.Original)
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].Sources) != len(out[j].Sources) {
			return len(out[i].Sources) > len(out[j].Sources)
		}
		if out[i].Type != out[j].Type {
			return typeRank(out[i].Type) < typeRank(out[j].Type)
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func typeRank(t string) int {
	switch t {
	case "person":
		return 0
	case "organization":
		return 1
	}
	return 2
}

func keysOf(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
