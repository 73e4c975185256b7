/*
 * hcc: HTTP byte classes shared by the parsers: tchar (RFC 9110 5.6.2)
 * with its lower case in one table, and the SWAR search for the first byte
 * that is not field-content (RFC 9110 5.5).
 */
#include "protocol/hcc.h"

#include <string.h>

/* RFC 9110 5.6.2 tchar, mapped to its lower case; 0 for anything else.
 * One load per header-name byte does both the check and the folding. */
const unsigned char hcc_name[256] = {
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  33,  0,   35,	 36,  37,
    38,	 39,  0,   0,	42,  43,  0,   45,  46,	 0,   48,  49,	50,  51,  52,  53,  54,	 55,  56,
    57,	 0,   0,   0,	0,   0,	  0,   0,   97,	 98,  99,  100, 101, 102, 103, 104, 105, 106, 107,
    108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0,   0,	 0,   94,
    95,	 96,  97,  98,	99,  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
    114, 115, 116, 117, 118, 119, 120, 121, 122, 0,   124, 0,	126, 0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,	0,   0,	  0,   0,   0,	 0,   0,
    0,	 0,   0,   0,	0,   0,	  0,   0,   0,
};

unsigned char hcc_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}
