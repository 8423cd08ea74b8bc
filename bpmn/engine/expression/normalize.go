package expression

import (
	"strings"
	"unicode"
)

// Normalize turns a model expression into expr syntax: it strips the `${…}`/`#{…}` and `=` wrappers and
// rewrites the operators that JUEL and FEEL spell differently. String literals are left untouched.
func Normalize(src string) string {
	s := strings.TrimSpace(src)
	feel := false
	switch {
	case isWrapped(s):
		s = s[2 : len(s)-1]
	case strings.HasPrefix(s, "="):
		s = s[1:]
		feel = true
	}
	return rewrite(strings.TrimSpace(s), feel)
}

// juelWords maps JUEL's word operators to expr's.
var juelWords = map[string]string{
	"gt": ">", "lt": "<", "ge": ">=", "le": "<=", "eq": "==", "ne": "!=",
	"null": "nil", "div": "/", "mod": "%",
}

// rewrite walks the source once, copying string literals verbatim and translating identifiers and,
// for FEEL, the single `=` equality.
func rewrite(s string, feel bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j < len(s) {
				j++
			}
			b.WriteString(s[i:min(j, len(s))])
			i = j
		case c == '_' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(s) && (s[j] == '_' || unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j]))) {
				j++
			}
			word := s[i:j]
			prevDot := i > 0 && s[i-1] == '.'
			if w, ok := juelWords[word]; ok && !prevDot {
				word = w
			} else if word == "empty" && !prevDot {
				// `empty x` becomes `empty(x)` only when not already called.
				k := j
				for k < len(s) && s[k] == ' ' {
					k++
				}
				if k < len(s) && s[k] != '(' {
					e := k
					for e < len(s) && (s[e] == '_' || s[e] == '.' || unicode.IsLetter(rune(s[e])) || unicode.IsDigit(rune(s[e]))) {
						e++
					}
					b.WriteString("empty(" + s[k:e] + ")")
					i = e
					continue
				}
			}
			b.WriteString(word)
			i = j
		case feel && c == '=':
			prev := byte(0)
			if i > 0 {
				prev = s[i-1]
			}
			next := byte(0)
			if i+1 < len(s) {
				next = s[i+1]
			}
			if prev != '!' && prev != '<' && prev != '>' && prev != '=' && next != '=' {
				b.WriteString("==")
			} else {
				b.WriteByte(c)
			}
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
