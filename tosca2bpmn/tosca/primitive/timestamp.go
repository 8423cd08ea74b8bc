package primitive

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Timestamp is a TOSCA timestamp (TOSCA 1.3, 3.3.1: the YAML timestamp type, yaml.org/type/timestamp).
type Timestamp struct {
	Time time.Time // the instant, in the zone written (UTC when none was written)
	Text string    // the text as written
}

// yamlTimestamp is the YAML 1.1 timestamp regular expression: either a date alone, or a date and time
// with an optional fraction and time zone. Spaces are allowed before any time zone, as in the YAML
// example "2001-12-14 21:59:43.10 -5".
var yamlTimestamp = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})` +
	`(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?` +
	`(?:[ \t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$`)

var dateOnly = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func parseTimestamp(n *yaml.Node) (any, *Error) {
	if tag := n.ShortTag(); tag != tagTimestamp && tag != tagStr {
		return nil, errAt(n, ErrInvalidValue, "%s is not a timestamp", describeNode(n))
	}
	t, msg := parseTimestampText(n.Value)
	if msg != "" {
		return nil, errAt(n, ErrInvalidValue, "%s is not a timestamp: %s", describeNode(n), msg)
	}
	return Timestamp{Time: t, Text: n.Value}, nil
}

func parseTimestampText(s string) (time.Time, string) {
	m := yamlTimestamp.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, "expected a YAML timestamp such as 2001-12-14, 2001-12-14T21:59:43.10Z or 2001-12-14 21:59:43.10 -5"
	}
	if m[4] == "" && !dateOnly.MatchString(s) {
		return time.Time{}, "a date alone needs a two-digit month and day"
	}
	num := func(i int) int { v, _ := strconv.Atoi(m[i]); return v } // the regexp guarantees digits
	year, month, day := num(1), num(2), num(3)
	var hour, minute, second, nanos int
	if m[4] != "" {
		hour, minute, second = num(4), num(5), num(6)
		nanos = fraction(m[7])
	}
	if month < 1 || month > 12 {
		return time.Time{}, fmt.Sprintf("month %d is out of range", month)
	}
	if day < 1 || day > daysIn(year, month) {
		return time.Time{}, fmt.Sprintf("day %d is out of range for %04d-%02d", day, year, month)
	}
	if hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, fmt.Sprintf("time %02d:%02d:%02d is out of range", hour, minute, second)
	}
	loc := time.UTC
	if zone := m[8]; zone != "" && zone != "Z" {
		offset, msg := zoneOffset(zone)
		if msg != "" {
			return time.Time{}, msg
		}
		loc = time.FixedZone("", offset)
	}
	return time.Date(year, time.Month(month), day, hour, minute, second, nanos, loc), ""
}

// fraction turns the digits after the decimal point into nanoseconds (extra digits are dropped).
func fraction(digits string) int {
	nanos := 0
	for i := range 9 {
		nanos *= 10
		if i < len(digits) {
			nanos += int(digits[i] - '0')
		}
	}
	return nanos
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// zoneOffset reads "+h", "-hh" or "+hh:mm" into seconds east of UTC.
func zoneOffset(zone string) (int, string) {
	sign := 1
	if zone[0] == '-' {
		sign = -1
	}
	hours, minutes := zone[1:], "0"
	if len(hours) > 2 {
		hours, minutes = zone[1:len(zone)-3], zone[len(zone)-2:]
	}
	h, _ := strconv.Atoi(hours)
	m, _ := strconv.Atoi(minutes)
	if h > 23 || m > 59 {
		return 0, fmt.Sprintf("time zone %s is out of range", zone)
	}
	return sign * (h*3600 + m*60), ""
}
