package primitive

import (
	"math"
	"testing"
)

func su(text string, number float64, unit string, value float64) ScalarUnit {
	return ScalarUnit{Value: value, Number: number, Unit: unit, Text: text}
}

func TestParseScalarUnitSize(t *testing.T) {
	const size = "scalar-unit.size"
	runParseCases(t, []parseCase{
		{name: "bytes", typ: size, in: "10 B", want: su("10 B", 10, "B", 10)},
		{name: "kB", typ: size, in: "4 kB", want: su("4 kB", 4, "kB", 4e3)},
		{name: "KiB", typ: size, in: "4 KiB", want: su("4 KiB", 4, "KiB", 4096)},
		{name: "MB", typ: size, in: "2 MB", want: su("2 MB", 2, "MB", 2e6)},
		{name: "MiB", typ: size, in: "2 MiB", want: su("2 MiB", 2, "MiB", 2<<20)},
		{name: "GB", typ: size, in: "1 GB", want: su("1 GB", 1, "GB", 1e9)},
		{name: "GiB", typ: size, in: "1 GiB", want: su("1 GiB", 1, "GiB", 1<<30)},
		{name: "TB", typ: size, in: "3 TB", want: su("3 TB", 3, "TB", 3e12)},
		{name: "TiB", typ: size, in: "3 TiB", want: su("3 TiB", 3, "TiB", 3<<40)},
		{name: "case-insensitive gb", typ: size, in: "1.23 gb", want: su("1.23 gb", 1.23, "GB", 1.23e9)},
		{name: "case-insensitive KB is kB", typ: size, in: "1 KB", want: su("1 KB", 1, "kB", 1e3)},
		{name: "case-insensitive gib", typ: size, in: "1 gib", want: su("1 gib", 1, "GiB", 1<<30)},
		{name: "no space", typ: size, in: "512MiB", want: su("512MiB", 512, "MiB", 512<<20)},
		{name: "many spaces", typ: size, in: "'512    MB'", want: su("512    MB", 512, "MB", 512e6)},
		{name: "zero as INDIGO writes it", typ: size, in: "'0 GB'", want: su("0 GB", 0, "GB", 0)},
		{name: "fraction", typ: size, in: "0.5 GiB", want: su("0.5 GiB", 0.5, "GiB", 1<<29)},
		{name: "exponent", typ: size, in: "1e3 MB", want: su("1e3 MB", 1000, "MB", 1e9)},
		{name: "plus sign", typ: size, in: "+1 B", want: su("+1 B", 1, "B", 1)},
		{name: "tosca prefix", typ: "tosca.scalar-unit.size", in: "1 B", want: su("1 B", 1, "B", 1)},
		{name: "without unit", typ: size, in: "10", err: "integer 10 is not a scalar-unit.size: the unit is missing (one of B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)"},
		{name: "quoted without unit", typ: size, in: "'10 '", err: "the unit is missing"},
		{name: "float without unit", typ: size, in: "1.5", err: "the unit is missing"},
		{name: "unknown unit", typ: size, in: "10 XB", err: `unknown unit "XB" (one of B, kB`},
		{name: "time unit on size", typ: size, in: "10 s", err: `unknown unit "s"`},
		{name: "unit first", typ: size, in: "GB 10", err: "expected <number> <unit>, e.g. 4 kB"},
		{name: "negative", typ: size, in: "-1 GB", err: "the number must not be negative"},
		{name: "two numbers", typ: size, in: "1 2 GB", err: `unknown unit "2 GB"`},
		{name: "overflow", typ: size, in: "1e308 TiB", err: "the value is out of the 64-bit range"},
		{name: "number overflow", typ: size, in: "1e999 B", err: "the number is out of the 64-bit range"},
		{name: "boolean", typ: size, in: "true", err: "boolean true is not a scalar-unit.size"},
		{name: "list", typ: size, in: "[1, GB]", err: "a list is not a scalar-unit.size"},
	})
}

func TestParseScalarUnitTime(t *testing.T) {
	const tm = "scalar-unit.time"
	runParseCases(t, []parseCase{
		{name: "days", typ: tm, in: "2 d", want: su("2 d", 2, "d", 172800)},
		{name: "hours", typ: tm, in: "1 h", want: su("1 h", 1, "h", 3600)},
		{name: "minutes", typ: tm, in: "10.5m", want: su("10.5m", 10.5, "m", 630)},
		{name: "seconds", typ: tm, in: "30 s", want: su("30 s", 30, "s", 30)},
		{name: "milliseconds no space", typ: tm, in: "1.23ms", want: su("1.23ms", 1.23, "ms", 1.23e-3)},
		{name: "microseconds", typ: tm, in: "5 us", want: su("5 us", 5, "us", 5e-6)},
		{name: "nanoseconds", typ: tm, in: "7 ns", want: su("7 ns", 7, "ns", 7e-9)},
		{name: "upper case", typ: tm, in: "5 MS", want: su("5 MS", 5, "ms", 5e-3)},
		{name: "upper case minutes", typ: tm, in: "1 M", want: su("1 M", 1, "m", 60)},
		{name: "unknown unit", typ: tm, in: "5 min", err: `unknown unit "min" (one of d, h, m, s, ms, us, ns)`},
		{name: "missing unit", typ: tm, in: "60", err: "the unit is missing"},
	})
}

func TestParseScalarUnitFrequency(t *testing.T) {
	const fq = "scalar-unit.frequency"
	runParseCases(t, []parseCase{
		{name: "Hz", typ: fq, in: "50 Hz", want: su("50 Hz", 50, "Hz", 50)},
		{name: "kHz with exponent", typ: fq, in: "123e3 kHz", want: su("123e3 kHz", 123e3, "kHz", 123e6)},
		{name: "MHz", typ: fq, in: "2.4 MHz", want: su("2.4 MHz", 2.4, "MHz", 2.4e6)},
		{name: "GHz", typ: fq, in: "2.7 GHz", want: su("2.7 GHz", 2.7, "GHz", 2.7e9)},
		{name: "lower case", typ: fq, in: "2 ghz", want: su("2 ghz", 2, "GHz", 2e9)},
		{name: "unknown unit", typ: fq, in: "2 THz", err: `unknown unit "THz" (one of Hz, kHz, MHz, GHz)`},
	})
}

func TestParseScalarUnitBitrate(t *testing.T) {
	const br = "scalar-unit.bitrate"
	runParseCases(t, []parseCase{
		{name: "bps", typ: br, in: "100 bps", want: su("100 bps", 100, "bps", 100)},
		{name: "Kbps", typ: br, in: "1 Kbps", want: su("1 Kbps", 1, "Kbps", 1e3)},
		{name: "Kibps", typ: br, in: "1 Kibps", want: su("1 Kibps", 1, "Kibps", 1024)},
		{name: "Mbps", typ: br, in: "10 Mbps", want: su("10 Mbps", 10, "Mbps", 10e6)},
		{name: "Mibps", typ: br, in: "1 Mibps", want: su("1 Mibps", 1, "Mibps", 1<<20)},
		{name: "Gbps", typ: br, in: "1 Gbps", want: su("1 Gbps", 1, "Gbps", 1e9)},
		{name: "Gibps", typ: br, in: "1 Gibps", want: su("1 Gibps", 1, "Gibps", 1<<30)},
		{name: "Tbps", typ: br, in: "1 Tbps", want: su("1 Tbps", 1, "Tbps", 1e12)},
		{name: "Tibps", typ: br, in: "1 Tibps", want: su("1 Tibps", 1, "Tibps", 1<<40)},
		{name: "Bps is bytes", typ: br, in: "1 Bps", want: su("1 Bps", 1, "Bps", 8)},
		{name: "KBps", typ: br, in: "1 KBps", want: su("1 KBps", 1, "KBps", 8e3)},
		{name: "KiBps as in puccini", typ: br, in: "1.23 KiBps", want: su("1.23 KiBps", 1.23, "KiBps", 1.23*8*1024)},
		{name: "MiBps", typ: br, in: "1 MiBps", want: su("1 MiBps", 1, "MiBps", 8<<20)},
		{name: "TiBps", typ: br, in: "1 TiBps", want: su("1 TiBps", 1, "TiBps", 8<<40)},
		{name: "prefix case-insensitive kbps", typ: br, in: "64 kbps", want: su("64 kbps", 64, "Kbps", 64e3)},
		{name: "prefix case-insensitive mBPS", typ: br, in: "1 mBPS", want: su("1 mBPS", 1, "MBps", 8e6)},
		{name: "unknown unit", typ: br, in: "1 Kbit", err: `unknown unit "Kbit" (one of bps, Kbps`},
		{name: "size unit", typ: br, in: "1 MB", err: `unknown unit "MB"`},
		{name: "kelvin sign is not K", typ: br, in: "1 \u212Abps", err: "unknown unit"},
	})
}

func TestScalarUnitValuesAreExact(t *testing.T) {
	// The binary multiples must be exact powers of two so that 1 GiB == 1024 MiB compares equal.
	for _, tc := range []struct{ a, b, typ string }{
		{"1 GiB", "1024 MiB", "scalar-unit.size"},
		{"1 TiB", "1048576 MiB", "scalar-unit.size"},
		{"1 d", "24 h", "scalar-unit.time"},
		{"1 GHz", "1000 MHz", "scalar-unit.frequency"},
		{"1 GiBps", "8 Gibps", "scalar-unit.bitrate"},
	} {
		t.Run(tc.a+"="+tc.b, func(t *testing.T) {
			a, err := Parse(tc.typ, valueNode(t, tc.a))
			if err != nil {
				t.Fatal(err)
			}
			b, err := Parse(tc.typ, valueNode(t, tc.b))
			if err != nil {
				t.Fatal(err)
			}
			if !Equal(a, b) {
				t.Fatalf("%v != %v", a, b)
			}
		})
	}
	if math.IsInf(sizeUnits[len(sizeUnits)-1].factor, 0) {
		t.Fatal("factor overflow")
	}
}
