/*
 * libFuzzer target for a shard's report read back (stats/mshard_parse):
 * never reads outside the input; what it accepts is a shard (0 <= index <
 * count) whose tally, when it ran, holds the distributions' counts; a
 * shard that ran is then merged alone, its seconds too (stats/mseries).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/mseries.h"
#include "stats/mshard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The one shard as a merge of it alone: the set owns json from here. */
static void merge_alone(const struct mshard_doc *d, char *json, size_t size)
{
	struct mshard_set m = {0};
	struct result res;
	char why[512] = "";
	m.docs = calloc(1, sizeof(*m.docs));
	m.seen = calloc(d->count, sizeof(*m.seen));
	if (!m.docs || !m.seen) {
		free(json);
		mshard_free(&m);
		return;
	}
	m.docs[0] = *d;
	m.docs[0].text = json;
	m.docs[0].len = size;
	m.n = 1;
	m.expected = d->count;
	m.seen[d->index] = true;
	if (mshard_add(&m, why, sizeof(why)) == 0) {
		int r = mseries_build(&m, &res, why, sizeof(why));
		if (r == -EINVAL && !why[0])
			abort();
		if (r == 0) {
			if (res.total->responses != m.total->responses)
				abort();
			mseries_free(&res);
		}
	}
	mshard_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tally t;
	struct mshard_doc d = {.path = "fuzz"};
	char why[300] = "";
	char *json = malloc(size ? size : 1); /* exact size: reads past it are caught */
	memcpy(json, data, size);
	if (mshard_parse(&d, json, size, &t, why, sizeof(why)) == 0) {
		if (d.index >= d.count)
			abort();
		if (d.ran)
			return merge_alone(&d, json, size), 0;
	} else if (!why[0]) {
		abort();
	}
	free(json);
	return 0;
}
