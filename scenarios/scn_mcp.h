/*
 * scn_mcp: the MCP scenarios of the seeds: tool execution (NFR-Performance-02),
 * resource reads (NFR-Performance-01), concurrent id reservations through
 * the reserve_id_range tool (NFR-Performance-05), and the resource sweep.
 */
#ifndef MCPL_SCENARIOS_SCN_MCP_H
#define MCPL_SCENARIOS_SCN_MCP_H

#include "scenarios/scn.h"

extern const struct scn scn_mcp_tools;
extern const struct scn scn_mcp_resources;
extern const struct scn scn_mcp_id_reservation;
extern const struct scn scn_mcp_call;
extern const struct scn scn_resource_sweep;

#endif
