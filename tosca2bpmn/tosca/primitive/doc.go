// Package primitive reads, compares and constrains the primitive values of the TOSCA Simple Profile in
// YAML 1.0–1.3 (TOSCA 1.3, 3.3 Primitive types, 3.6.3 Constraint clause): string, integer, float,
// boolean, timestamp, null, version, range and the scalar units size, time, frequency and bitrate.
//
// Values are read from gopkg.in/yaml.v3 nodes so that every error carries the node's line and column.
// The package imports nothing of the TOSCA model; the reader in package tosca calls it.
//
// Choices where the specification is silent or where YAML 1.1 and 1.2 disagree (documented here
// because they decide whether real templates validate):
//
//   - boolean: the YAML 1.2 core forms true/True/TRUE/false/False/FALSE are booleans. Like the
//     reference parser (OpenStack tosca-parser, which reads YAML 1.1 through PyYAML), the unquoted
//     YAML 1.1 words yes/Yes/YES/no/No/NO/on/On/ON/off/Off/OFF are booleans too, and a quoted string
//     whose text is "true" or "false" in any case is accepted. Quoted "yes"/"no" are strings, not
//     booleans (tosca-parser refuses them too).
//   - integer: decimal ([-+]?[0-9]+), YAML 1.2 octal (0o17) and hexadecimal (0x1F), plus the
//     unambiguous YAML 1.1 forms yaml.v3 also reads (binary 0b101, "_" between digits). A decimal with
//     a leading zero ("010") is refused: YAML 1.1 (and PyYAML, yaml.v3) read it as octal 8, YAML 1.2 as
//     decimal 10, and guessing would silently change a port or a size. Like tosca-parser, a quoted
//     string holding an integer ("8080", '-1') is accepted, as the INDIGO types use it.
//   - float: any YAML float or integer, also quoted; .inf is accepted, .nan is refused (it would make
//     every comparison false).
//   - string: only YAML strings (quoted or not); 123, 1.0, true or null are not strings, as in
//     tosca-parser.
//   - timestamp: the YAML timestamp forms (yaml.org/type/timestamp), plain, quoted or tagged
//     !!timestamp; without a time zone the instant is UTC.
//   - version: <major>.<minor>[.<fix>[.<qualifier>[-<build>]]]; a bare major ("2") is read as 2.0
//     (tosca-parser does the same); the qualifier is [0-9A-Za-z]+.
//   - range: [lower, upper] of integers; upper may be UNBOUNDED; lower <= upper.
//   - scalar units: "<number> <unit>", any spaces (also none) between; the number is non-negative.
//     Units are case-insensitive, except that for scalar-unit.bitrate the "b" (bit) / "B" (byte) letter
//     is case-sensitive (Kbps is kilobit, KBps kilobyte); prefixes (k, Ki, M, ...) are not.
//   - pattern: RE2 syntax (Go regexp), anchored: the whole string must match.
//   - in_range: either bound may be UNBOUNDED (tosca-parser accepts both); lower must not exceed upper.
//     On a range property (the normative PortSpec's source_range) the bounds are integers and a range
//     value satisfies the clause when both its bounds lie inside.
//   - greater_than and the other comparisons apply to the ordered types only: integer, float,
//     timestamp, version and the scalar units (not string, boolean, null or range).
//   - version comparison follows TOSCA 1.3, 3.3.2.3: a qualified version is older than the unqualified
//     one, builds order within one qualifier, and different qualifiers are not ordered at all.
//   - scalar-unit.bitrate is accepted whatever tosca_definitions_version the template declares; the
//     reader may refuse it before 1.3.
package primitive
