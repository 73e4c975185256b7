/*
 * bench_tok: counts the tokens of a file with protocol/tok, best of a few
 * passes, and prints "ENCODING BYTES TOKENS MB/s" (MB = 1e6 bytes). The
 * rank table is loaded before the clock starts: tok_open is a start-up cost.
 * Usage: build/bench_tok cl100k_base|o200k_base FILE [PASSES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocol/tok.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	FILE *f = argc >= 3 ? fopen(argv[2], "rb") : NULL;
	int passes = argc >= 4 ? atoi(argv[3]) : 3;
	struct tok *t;
	double best = 1e30;
	int64_t count = 0;
	char *text;
	long len;
	if (!f) {
		fprintf(stderr, "usage: bench_tok cl100k_base|o200k_base FILE [PASSES]\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = malloc(len > 0 ? len : 1);
	if (!text || fread(text, 1, len, f) != (size_t)len)
		return 2;
	fclose(f);
	t = tok_open(strcmp(argv[1], "o200k_base") == 0 ? TOK_O200K_BASE : TOK_CL100K_BASE);
	if (!t)
		return 2;
	for (int p = 0; p < passes; p++) {
		double t0 = now_s();
		count = tok_count(t, text, len);
		double dt = now_s() - t0;
		if (dt < best)
			best = dt;
	}
	printf("%s %ld %lld %.1f\n", tok_name(t), len, (long long)count, len / best / 1e6);
	tok_close(t);
	free(text);
	return 0;
}
