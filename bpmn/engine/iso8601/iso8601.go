// Package iso8601 parses the ISO 8601 forms BPMN timer definitions use: durations (timeDuration,
// `P1DT2H`, `PT30M`, `P2W`), date-times (timeDate, RFC 3339 with or without a zone) and repeating
// intervals (timeCycle, `R3/PT10S`, `R/P1D`, `R2/2026-01-01T00:00:00Z/PT1H`).
package iso8601

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrSyntax is wrapped by every parse error of this package.
var ErrSyntax = errors.New("iso 8601 syntax")

// Duration is a calendar-aware ISO 8601 duration: years, months and days are added as calendar units
// (so P1M from 31 January lands where time.AddDate lands), the rest as exact time.
type Duration struct {
	Years, Months, Days int
	Time                time.Duration // hours, minutes, seconds
}

// AddTo returns t moved forward by d.
func (d Duration) AddTo(t time.Time) time.Time {
	return t.AddDate(d.Years, d.Months, d.Days).Add(d.Time)
}

// IsZero tells whether d moves no time at all.
func (d Duration) IsZero() bool { return d == Duration{} }

// ParseDuration parses `PnYnMnDTnHnMnS` (fractions allowed on the smallest unit) and `PnW`.
func ParseDuration(s string) (Duration, error) {
	var d Duration
	src := strings.TrimSpace(s)
	if len(src) < 2 || (src[0] != 'P' && src[0] != 'p') {
		return d, fmt.Errorf("duration %q: %w: must start with P", s, ErrSyntax)
	}
	rest := strings.ToUpper(src[1:])
	inTime := false
	seen := false
	for len(rest) > 0 {
		if rest[0] == 'T' {
			if inTime {
				return d, fmt.Errorf("duration %q: %w: second T", s, ErrSyntax)
			}
			inTime = true
			rest = rest[1:]
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.' || rest[i] == ',') {
			i++
		}
		if i == 0 || i == len(rest) {
			return d, fmt.Errorf("duration %q: %w: number without unit", s, ErrSyntax)
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(rest[:i], ",", "."), 64)
		if err != nil {
			return d, fmt.Errorf("duration %q: %w: %v", s, ErrSyntax, err)
		}
		unit := rest[i]
		rest = rest[i+1:]
		seen = true
		whole := int(num)
		switch {
		case !inTime && unit == 'Y':
			d.Years += whole
		case !inTime && unit == 'M':
			d.Months += whole
		case !inTime && unit == 'W':
			d.Days += 7 * whole
		case !inTime && unit == 'D':
			d.Days += whole
			d.Time += time.Duration((num - float64(whole)) * float64(24*time.Hour))
		case inTime && unit == 'H':
			d.Time += time.Duration(num * float64(time.Hour))
		case inTime && unit == 'M':
			d.Time += time.Duration(num * float64(time.Minute))
		case inTime && unit == 'S':
			d.Time += time.Duration(num * float64(time.Second))
		default:
			return d, fmt.Errorf("duration %q: %w: unexpected unit %q", s, ErrSyntax, unit)
		}
	}
	if !seen {
		return d, fmt.Errorf("duration %q: %w: no components", s, ErrSyntax)
	}
	return d, nil
}

// dateLayouts are the timeDate spellings accepted; a date-time without a zone is read in UTC.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"}

// ParseDateTime parses a timeDate.
func ParseDateTime(s string) (time.Time, error) {
	src := strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, src, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date-time %q: %w", s, ErrSyntax)
}

// Cycle is a repeating interval: Repetitions times (-1: unbounded) every Interval, the first
// occurrence one interval after Start (or after the moment the timer is scheduled when Start is zero).
type Cycle struct {
	Repetitions int
	Start       time.Time
	Interval    Duration
}

// ParseCycle parses `Rn/duration`, `R/duration`, `Rn/start/duration` and `Rn/duration/end` (the end is ignored
// beyond validation: repetitions bound the cycle).
func ParseCycle(s string) (Cycle, error) {
	c := Cycle{Repetitions: -1}
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) < 2 || len(parts) > 3 || !strings.HasPrefix(strings.ToUpper(parts[0]), "R") {
		return c, fmt.Errorf("cycle %q: %w: want Rn/[start/]duration", s, ErrSyntax)
	}
	if n := parts[0][1:]; n != "" {
		r, err := strconv.Atoi(n)
		if err != nil || r < 0 {
			return c, fmt.Errorf("cycle %q: %w: bad repetitions", s, ErrSyntax)
		}
		c.Repetitions = r
	}
	durPart := parts[1]
	if len(parts) == 3 {
		if strings.HasPrefix(strings.ToUpper(parts[1]), "P") {
			if _, err := ParseDateTime(parts[2]); err != nil {
				return c, fmt.Errorf("cycle %q: %w", s, err)
			}
		} else {
			start, err := ParseDateTime(parts[1])
			if err != nil {
				return c, fmt.Errorf("cycle %q: %w", s, err)
			}
			c.Start = start
			durPart = parts[2]
		}
	}
	d, err := ParseDuration(durPart)
	if err != nil {
		return c, fmt.Errorf("cycle %q: %w", s, err)
	}
	if d.IsZero() {
		return c, fmt.Errorf("cycle %q: %w: zero interval", s, ErrSyntax)
	}
	c.Interval = d
	return c, nil
}

// First returns the first occurrence of the cycle for a timer scheduled at now.
func (c Cycle) First(now time.Time) time.Time {
	if !c.Start.IsZero() {
		if c.Start.After(now) {
			return c.Start
		}
		t := c.Start
		for !t.After(now) {
			t = c.Interval.AddTo(t)
		}
		return t
	}
	return c.Interval.AddTo(now)
}
