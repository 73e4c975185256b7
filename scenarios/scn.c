/*
 * scn: the registry of compiled-in scenarios, in the order `mcpload list`
 * shows them.
 */
#include "scenarios/scn.h"

#include <stddef.h>
#include <string.h>

#include "scenarios/scn_mcp.h"
#include "scenarios/scn_rest.h"

static const struct scn *const all[] = {
    &scn_rest_resources, &scn_rest_task_api,	  &scn_rest_id_reservation, &scn_mcp_tools,
    &scn_mcp_resources,	 &scn_mcp_id_reservation, &scn_resource_sweep,	    &scn_mcp_call,
};

const struct scn *const *scn_all(unsigned *n)
{
	*n = SCN_LEN(all);
	return all;
}

bool scn_has_mcp(const struct scn *s)
{
	for (unsigned t = 0; t < s->ntasks; t++)
		for (unsigned k = 0; k < s->tasks[t].nsteps; k++)
			if (s->tasks[t].steps[k].mcp)
				return true;
	return false;
}

const struct scn *scn_find(const char *name)
{
	for (unsigned i = 0; i < SCN_LEN(all); i++) {
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	}
	return NULL;
}
