/*
 * merge: `mcpload merge OUT.json SHARD.json...`: the shards of one run
 * spread over machines (--shard) added up into one report: histograms
 * bucket by bucket, counts summed, timelines aligned on the wall clock,
 * thresholds judged on the merged figures. Exit status: 0 merged and
 * every threshold passed, 1 a threshold failed, 2 bad usage or shards
 * that are not of one run, 3 a shard missing or not run (named).
 */
#ifndef MCPL_CORE_CMD_MERGE_H
#define MCPL_CORE_CMD_MERGE_H

int merge_main(int argc, char **argv);

#endif
