/*
 * splan: what the suite will do, before it does it: which NFRs, phases
 * and halves --only selects, what each wanted NFR changes on the server
 * (said before the first request), and --plan, every phase's requests,
 * load and targets printed with nothing sent.
 */
#ifndef MCPL_CORE_CMD_SPLAN_H
#define MCPL_CORE_CMD_SPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/cmd/sphase.h"
#include "scenarios/nfr.h"
#include "scenarios/snfr.h"

/* --only's list: NFR ids (NFR-01, NFR-Performance-01), benchmark phases
 * (baseline, load, cache, stress, memory) and ID.PART, PART a half (mcp,
 * rest) or a phase name. Returns 0 or -EINVAL with the reason in why. */
int splan_check_only(const char *only, char *why, size_t why_len);

/* Does --only (NULL: everything) select NFR d, whole or in part? */
bool splan_wanted(const char *only, const struct nfr *d);

/* Does --only select phase ph of d? */
bool splan_phase_wanted(const char *only, const struct nfr *d, const struct nfr_phase *ph);

/* The half of phase ph to run: -1 all of it, 1 its MCP steps, 0 its
 * plain HTTP steps (--only ID.mcp / ID.rest on a scenario with both). */
int splan_half(const char *only, const struct nfr *d, const struct nfr_phase *ph);

/* Is a benchmark phase (suite --full) wanted? */
bool splan_bench_wanted(const struct suite_opts *o, const struct nfr *d);

/* What the wanted NFRs of t change on the server, one line each. */
void splan_changes(FILE *f, const struct suite_opts *o, const struct snfr *t);

/* --plan: every wanted NFR's phases (requests, load), what they change and
 * the targets they are judged by. Returns the exit status (0). */
int splan_print(FILE *f, const struct suite_opts *o, const struct snfr *t);

#endif
