package primitive

import (
	"testing"
	"time"
)

func ts(text string, year int, month time.Month, day, hour, minute, second, nanos, offset int) Timestamp {
	loc := time.UTC
	if offset != 0 {
		loc = time.FixedZone("", offset)
	}
	return Timestamp{Time: time.Date(year, month, day, hour, minute, second, nanos, loc), Text: text}
}

func TestParseTimestamp(t *testing.T) {
	runParseCases(t, []parseCase{
		{name: "date", typ: "timestamp", in: "2001-12-14", want: ts("2001-12-14", 2001, 12, 14, 0, 0, 0, 0, 0)},
		{name: "canonical", typ: "timestamp", in: "2001-12-15T02:59:43.1Z",
			want: ts("2001-12-15T02:59:43.1Z", 2001, 12, 15, 2, 59, 43, 100000000, 0)},
		{name: "iso8601 offset", typ: "timestamp", in: "2001-12-14t21:59:43.10-05:00",
			want: ts("2001-12-14t21:59:43.10-05:00", 2001, 12, 14, 21, 59, 43, 100000000, -5*3600)},
		{name: "space separated", typ: "timestamp", in: "2001-12-14 21:59:43.10 -5",
			want: ts("2001-12-14 21:59:43.10 -5", 2001, 12, 14, 21, 59, 43, 100000000, -5*3600)},
		{name: "no time zone is UTC", typ: "timestamp", in: "2002-12-14 21:59:43.10",
			want: ts("2002-12-14 21:59:43.10", 2002, 12, 14, 21, 59, 43, 100000000, 0)},
		{name: "puccini quoted", typ: "timestamp", in: "'1975-09-15 12:34:56.7 +2'",
			want: ts("1975-09-15 12:34:56.7 +2", 1975, 9, 15, 12, 34, 56, 700000000, 2*3600)},
		{name: "explicit tag", typ: "timestamp", in: "!!timestamp 1975-09-15t12:34:56.7+02:00",
			want: ts("1975-09-15t12:34:56.7+02:00", 1975, 9, 15, 12, 34, 56, 700000000, 2*3600)},
		{name: "one digit month day hour", typ: "timestamp", in: "'2001-1-2 3:04:05'",
			want: ts("2001-1-2 3:04:05", 2001, 1, 2, 3, 4, 5, 0, 0)},
		{name: "nanoseconds truncated", typ: "timestamp", in: "'2001-01-02T03:04:05.1234567899Z'",
			want: ts("2001-01-02T03:04:05.1234567899Z", 2001, 1, 2, 3, 4, 5, 123456789, 0)},
		{name: "empty fraction", typ: "timestamp", in: "'2001-01-02T03:04:05.Z'",
			want: ts("2001-01-02T03:04:05.Z", 2001, 1, 2, 3, 4, 5, 0, 0)},
		{name: "half hour zone", typ: "timestamp", in: "'2001-01-02T03:04:05+05:30'",
			want: ts("2001-01-02T03:04:05+05:30", 2001, 1, 2, 3, 4, 5, 0, 5*3600+30*60)},
		{name: "leap day", typ: "timestamp", in: "2000-02-29", want: ts("2000-02-29", 2000, 2, 29, 0, 0, 0, 0, 0)},
		{name: "not a leap day", typ: "timestamp", in: "'1900-02-29'", err: "day 29 is out of range for 1900-02"},
		{name: "month 13", typ: "timestamp", in: "'2001-13-01'", err: "month 13 is out of range"},
		{name: "day 0", typ: "timestamp", in: "'2001-12-00'", err: "day 0 is out of range"},
		{name: "hour 24", typ: "timestamp", in: "'2001-12-01T24:00:00Z'", err: "time 24:00:00 is out of range"},
		{name: "minute 60", typ: "timestamp", in: "'2001-12-01T10:60:00Z'", err: "out of range"},
		{name: "zone 25", typ: "timestamp", in: "'2001-12-01T10:00:00+25'", err: "time zone +25 is out of range"},
		{name: "short date alone", typ: "timestamp", in: "'2001-1-2'", err: "two-digit month and day"},
		{name: "european date", typ: "timestamp", in: "'01-01-2025'", err: "expected a YAML timestamp"},
		{name: "no seconds", typ: "timestamp", in: "'2001-12-14T21:59Z'", err: "expected a YAML timestamp"},
		{name: "trailing text", typ: "timestamp", in: "'2001-12-14 noon'", err: "expected a YAML timestamp"},
		{name: "integer", typ: "timestamp", in: "20011214", err: "integer 20011214 is not a timestamp"},
		{name: "null", typ: "timestamp", in: "~", err: "null is not a timestamp"},
		{name: "list", typ: "timestamp", in: "[2001-12-14]", err: "a list is not a timestamp"},
	})
}
