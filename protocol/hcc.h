/*
 * hcc: HTTP byte classes for the parsers (protocol/h1p, protocol/h1q):
 * which bytes may stand in a header name, and where a line's content ends.
 */
#ifndef MCPL_PROTOCOL_HCC_H
#define MCPL_PROTOCOL_HCC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* For each byte: its lower case if it is a tchar (RFC 9110 5.6.2), else 0. */
extern const unsigned char hcc_name[256];

/* ASCII lower case (other bytes unchanged). */
unsigned char hcc_lower(unsigned char c);

/* Inline: the parsers call these for every header line. */
/* A control byte that may not stand in field content: < 0x20 but HTAB, or DEL. */
static inline bool hcc_is_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* First byte in [p, end) that is not a tchar, or end. Four bytes a step:
 * one bounds test for four table looks (a header name is 4 to 30 bytes). */
static inline const char *hcc_name_end(const char *p, const char *end)
{
	const unsigned char *q = (const unsigned char *)p, *e = (const unsigned char *)end;
	while (e - q >= 4 && hcc_name[q[0]] && hcc_name[q[1]] && hcc_name[q[2]] && hcc_name[q[3]])
		q += 4;
	while (q < e && hcc_name[*q])
		q++;
	return (const char *)q;
}

/*
 * First byte in [p, end) that is not field-content (RFC 9110 5.5: VCHAR,
 * obs-text, SP, HTAB), i.e. a CTL other than HTAB (CR and LF included), or
 * end. Eight bytes at a time: the SWAR tests flag any word holding a byte
 * below 0x20 or equal to 0x7f, and only a flagged word is looked at bytewise.
 */

static inline const char *hcc_find_ctl(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	while (end - p >= 8) {
		uint64_t x, y, m;
		memcpy(&x, p, 8);
		y = x ^ (0x7f * ones);
		m = (((x - 0x20 * ones) & ~x) | ((y - ones) & ~y)) & highs;
		/* The lowest flag is exact; flags above it may be borrow artefacts
		 * (or HTAB), so each flagged byte is checked. */
		while (m) {
			unsigned i = (unsigned)__builtin_ctzll(m) >> 3;
			if (hcc_is_ctl((unsigned char)p[i]))
				return p + i;
			m &= m - 1;
		}
		p += 8;
	}
	for (; p < end; p++) {
		if (hcc_is_ctl((unsigned char)*p))
			return p;
	}
	return end;
}

#endif
