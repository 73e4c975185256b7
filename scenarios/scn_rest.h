/*
 * scn_rest: the REST scenarios (resources, Task API, ID reservation).
 */
#ifndef MCPL_SCENARIOS_SCN_REST_H
#define MCPL_SCENARIOS_SCN_REST_H

#include "scenarios/scn.h"

extern const struct scn scn_rest_resources;
extern const struct scn scn_rest_task_api;
extern const struct scn scn_rest_id_reservation;

#endif
