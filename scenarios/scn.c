/*
 * scn: the registry of compiled-in scenarios, in the order `mcpload list`
 * shows them.
 */
#include "scenarios/scn.h"

#include <stddef.h>
#include <string.h>

#include "scenarios/scn_rest.h"

static const struct scn *const all[] = {
    &scn_rest_resources,
    &scn_rest_task_api,
    &scn_rest_id_reservation,
};

const struct scn *const *scn_all(unsigned *n)
{
	*n = SCN_LEN(all);
	return all;
}

const struct scn *scn_find(const char *name)
{
	for (unsigned i = 0; i < SCN_LEN(all); i++) {
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	}
	return NULL;
}
