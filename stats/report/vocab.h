/*
 * vocab: the one JSON vocabulary of every document mcpload writes (run,
 * repeat, stress, suite): each object kind has one writer here, with the
 * same keys everywhere, latency always in milliseconds (6 decimals: exact to
 * the nanosecond) under keys ending in _ms, and every document opening with
 * the same header (schema_version first).
 */
#ifndef MCPL_STATS_REPORT_VOCAB_H
#define MCPL_STATS_REPORT_VOCAB_H

#include <stdbool.h>
#include <time.h>

#include "protocol/jw.h"
#include "stats/hist.h"
#include "stats/knee.h"
#include "stats/ltl.h"
#include "stats/memtrend.h"
#include "stats/tally.h"
#include "stats/tline.h"

/* The version of the documents' shape; a reader that finds another one
 * must not assume the keys below. */
#define VOCAB_SCHEMA_VERSION 2

struct rshard;
struct thresh;

/* "thresholds": each judged threshold with its figure and verdict. */
void vocab_thresholds(struct jw *j, const struct thresh *t, unsigned n);

/* A shard's "shard" object and "run_digest" (nothing for NULL). */
void vocab_shard(struct jw *j, const struct rshard *s);

/* Open the document's object and write its header: schema_version, tool,
 * version, mode ("closed-loop", "open-loop", "repeat", "stress", "suite"),
 * command_line, started_at (UTC, RFC 3339) and host {name, kernel, cpus}. */
void vocab_doc_begin(struct jw *j, const char *mode, const char *cmdline, time_t started_at);

/* A latency object under key: count, min, mean, stddev, p50, p90, p95, p99,
 * p99_9, p99_99, max, all in ms. */
void vocab_latency(struct jw *j, const char *key, const struct hist_sum *s);
void vocab_latency_of(struct jw *j, const char *key, const struct hist *h);

/* "errors": every class, status_4xx, status_5xx, retried (not failures:
 * sent again after a connection error), total (tally_error_total) and pct
 * (tally_error_pct, the one error share). */
void vocab_errors(struct jw *j, const struct tally *t);

/* "status_counts": responses by status code ("other": outside 1-599). */
void vocab_status(struct jw *j, const struct tally *t);

/* A label's figures as members of the object being written: label,
 * requests, succeeded, requests_per_s (over secs), bytes_in, bytes_out,
 * skipped, latency_ms, latency_uncorrected_ms (open loop), first_byte_ms,
 * errors, status_counts, failures, and the distributions of latency (and
 * uncorrected latency) as vocab_distribution writes them. */
void vocab_label(struct jw *j, const char *name, const struct tally *t, double secs,
		 bool open_loop);

/* The open loop's arrivals as members of a "generator" object: scheduled,
 * sent, on_time, waited_for_connection, applied_on_time_pct, dropped,
 * unsent_at_end, unsent_while_idle. */
void vocab_arrivals(struct jw *j, const struct tally *t);

/* The full distribution of h under key: {"encoding": "HdrHistogram V2
 * compressed, base64", "unit": "ns", "significant_digits": 3, "count",
 * "histogram"}: every bucket, readable by HdrHistogram's libraries
 * (Histogram.fromString, decodeFromCompressedByteBuffer); histogram null
 * when it cannot be encoded (out of memory). */
void vocab_distribution(struct jw *j, const char *key, const struct hist *h);

/* "failures": the first distinct error messages in the server's words
 * ({message, count}), and "failures_other": how many more there were. */
void vocab_failures(struct jw *j, const struct tally_msgs *m);

/* One second of a timeline as members: second, requests, errors, p50_ms,
 * p99_ms; sent and dropped in the open loop; users when there are users. */
void vocab_second(struct jw *j, unsigned i, const struct tline_sec *s, bool open_loop, bool users);

/* "errors_by_class": a second's failures by kind, the kinds that had any
 * (the error classes' keys, status_4xx, status_5xx). */
void vocab_second_errors(struct jw *j, const struct tline_sec *s);

/* A label's seconds (slot of r) as an array under key: second, requests,
 * failed, p50_ms, p95_ms, p99_ms, max_ms (2 significant digits: the top of
 * the bucket, within 0.8 %), and the same uncorrected_*_ms in the open
 * model. Seconds without a request are left out. histograms (a shard's
 * report, for mcpload merge): also lost, body_bytes and the second's
 * histogram (and uncorrected_histogram): HdrHistogram V2 compressed,
 * base64, ns, 2 significant digits. */
void vocab_label_seconds(struct jw *j, const char *key, const struct ltl_run *r, unsigned slot,
			 bool histograms);

/* Server memory over a run as members: source, samples, failed_samples,
 * start/end/peak/growth bytes, slope, trend, span, limits, process_exited,
 * verdict, reason. */
void vocab_memtrend(struct jw *j, const struct memtrend *m);

/* A stress search as members: model, verdict, reason, max_sustainable and
 * steps (the latency-vs-load curve, each with its generator self-check and
 * its equivalent command). */
void vocab_knee(struct jw *j, const struct knee *k);

#endif
