package bpmnxml

import "bytes"

// startLines returns the line of every start tag in document order. etree keeps no positions, so
// a scan of the bytes finds them: in well-formed XML (which etree has already checked) a start tag
// is a '<' outside comments, CDATA sections, processing instructions and the DOCTYPE that is not
// followed by '/', '!' or '?'. Byte scanning works for UTF-8 and ISO-8859-1 alike, since both
// encode the markup characters as ASCII.
func startLines(b []byte) []int {
	lines := make([]int, 0, bytes.Count(b, []byte{'<'})/2+1)
	line := 1
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			line++
			continue
		case '<':
		default:
			continue
		}
		rest := b[i+1:]
		var end []byte
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			end = []byte("-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			end = []byte("]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			end = []byte("?>")
		case bytes.HasPrefix(rest, []byte("!")):
			// DOCTYPE: skip to the '>' that closes it, past an internal subset's declarations.
			depth := 0
			j := i + 1
			for ; j < len(b); j++ {
				switch b[j] {
				case '\n':
					line++
				case '<':
					depth++
				case '>':
					depth--
				}
				if depth < 0 {
					break
				}
			}
			i = j
			continue
		case bytes.HasPrefix(rest, []byte("/")):
			continue
		default:
			lines = append(lines, line)
			continue
		}
		j := bytes.Index(rest, end)
		if j < 0 {
			return lines
		}
		line += bytes.Count(rest[:j], []byte{'\n'})
		i += j + len(end)
	}
	return lines
}
