package iso8601

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var base = time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"PT30M", base.Add(30 * time.Minute)},
		{"PT10S", base.Add(10 * time.Second)},
		{"PT1.5S", base.Add(1500 * time.Millisecond)},
		{"P1D", base.AddDate(0, 0, 1)},
		{"P2W", base.AddDate(0, 0, 14)},
		{"P1Y2M3DT4H5M6S", base.AddDate(1, 2, 3).Add(4*time.Hour + 5*time.Minute + 6*time.Second)},
		{"P1M", base.AddDate(0, 1, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDuration(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, d.AddTo(base))
		})
	}
	for _, bad := range []string{"", "P", "T5M", "PT", "P5", "PT5X", "5M"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := ParseDuration(bad)
			assert.ErrorIs(t, err, ErrSyntax)
		})
	}
}

func TestParseDateTime(t *testing.T) {
	got, err := ParseDateTime("2026-03-01T12:00:00Z")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), got)
	got, err = ParseDateTime("2026-03-01T12:00:00+01:00")
	require.NoError(t, err)
	assert.True(t, got.Equal(time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)))
	got, err = ParseDateTime("2026-03-01T12:00:00")
	require.NoError(t, err)
	assert.Equal(t, time.UTC, got.Location())
	_, err = ParseDateTime("tomorrow")
	assert.ErrorIs(t, err, ErrSyntax)
}

func TestParseCycle(t *testing.T) {
	tests := []struct {
		in    string
		reps  int
		first time.Time
	}{
		{"R3/PT10S", 3, base.Add(10 * time.Second)},
		{"R/P1D", -1, base.AddDate(0, 0, 1)},
		{"R2/2026-02-01T00:00:00Z/PT1H", 2, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
		{"R2/2026-01-31T09:30:00Z/PT1H", 2, time.Date(2026, 1, 31, 10, 30, 0, 0, time.UTC)},
		{"R5/PT1M/2026-12-01T00:00:00Z", 5, base.Add(time.Minute)},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			c, err := ParseCycle(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.reps, c.Repetitions)
			assert.Equal(t, tc.first, c.First(base))
		})
	}
	for _, bad := range []string{"PT1M", "R/", "Rx/PT1M", "R3/PT0S", "0/5 0/1 * 1/1 * ?"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := ParseCycle(bad)
			assert.ErrorIs(t, err, ErrSyntax)
		})
	}
}
