package primitive

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlFloat is the float form of the YAML 1.2 core schema (without the special values).
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// isQuoted reports whether a scalar was written in quotes.
func isQuoted(n *yaml.Node) bool {
	return n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0
}

// isPlain reports whether a scalar was written without quotes, block style or explicit tag, i.e. its
// type comes from YAML's implicit resolution.
func isPlain(n *yaml.Node) bool {
	return n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle|yaml.TaggedStyle) == 0
}

// TOSCA 1.3, 3.3.1: integer is the YAML integer (64-bit here).
func parseInteger(n *yaml.Node) (any, *Error) {
	switch tag := n.ShortTag(); {
	// A plain string is read too: yaml.v3 resolves an integer that overflows 64 bits to a string, and
	// the message should say so rather than "not an integer".
	case tag == tagInt, tag == tagStr && (isQuoted(n) || isPlain(n)):
		i, msg := parseIntText(n.Value)
		if msg != "" {
			return nil, errAt(n, ErrInvalidValue, "%s %s", describeNode(n), msg)
		}
		return i, nil
	default:
		return nil, errAt(n, ErrInvalidValue, "%s is not an integer", describeNode(n))
	}
}

// parseIntText reads the integer forms described in the package comment; msg says why it failed, as
// a predicate for the value ("is not an integer").
func parseIntText(s string) (int64, string) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, "is not an integer"
	}
	if len(digits) > 1 && digits[0] == '0' && (digits[1] >= '0' && digits[1] <= '9' || digits[1] == '_') {
		return 0, "is ambiguous: a leading zero is octal in YAML 1.1 and decimal in YAML 1.2; write 0o" +
			strings.TrimLeft(digits, "0_") + " for octal or drop the zero"
	}
	i, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, "is out of the 64-bit integer range"
		}
		return 0, "is not an integer"
	}
	return i, ""
}

// TOSCA 1.3, 3.3.1: float is the YAML float (64-bit); an integer is a float too.
func parseFloat(n *yaml.Node) (any, *Error) {
	tag := n.ShortTag()
	if tag != tagFloat && tag != tagInt && (tag != tagStr || !isQuoted(n) && !isPlain(n)) {
		return nil, errAt(n, ErrInvalidValue, "%s is not a float", describeNode(n))
	}
	f, msg := parseFloatText(n.Value)
	if msg != "" {
		return nil, errAt(n, ErrInvalidValue, "%s %s", describeNode(n), msg)
	}
	return f, nil
}

func parseFloatText(s string) (float64, string) {
	switch s {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1), ""
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1), ""
	case ".nan", ".NaN", ".NAN":
		return 0, "is not accepted as a float: NaN is not comparable"
	}
	if i, msg := parseIntText(s); msg == "" {
		return float64(i), ""
	}
	// yaml.v3 resolves "1_000.5" to a float by dropping the underscores; do the same.
	plain := s
	if strings.Contains(s, "_") && !strings.HasPrefix(s, "_") && !strings.HasSuffix(s, "_") {
		plain = strings.ReplaceAll(s, "_", "")
	}
	if !yamlFloat.MatchString(plain) {
		return 0, "is not a float"
	}
	f, err := strconv.ParseFloat(plain, 64)
	if err != nil {
		return 0, "is out of the 64-bit float range"
	}
	return f, ""
}

// yaml11Booleans are the YAML 1.1 words that PyYAML (and so tosca-parser) reads as booleans.
var yaml11Booleans = map[string]bool{
	"true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false,
	"yes": true, "Yes": true, "YES": true, "no": false, "No": false, "NO": false,
	"on": true, "On": true, "ON": true, "off": false, "Off": false, "OFF": false,
}

// TOSCA 1.3, 3.3.1: boolean; see the package comment for the accepted forms.
func parseBoolean(n *yaml.Node) (any, *Error) {
	switch tag := n.ShortTag(); {
	case tag == tagBool, tag == tagStr && isPlain(n):
		if b, ok := yaml11Booleans[n.Value]; ok {
			return b, nil
		}
	case tag == tagStr && isQuoted(n):
		switch strings.ToLower(n.Value) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, errAt(n, ErrInvalidValue, "%s is not a boolean", describeNode(n))
}
