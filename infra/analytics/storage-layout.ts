/**
 * Where the analytics path writes in its bucket, shared by the Firehose stream, the Glue table's
 * partition projection and the tests that write files the same way.
 */

/** The one partition column: the UTC day Firehose received the record (yyyy-MM-dd). */
export const PARTITION_COLUMN = 'dt';

/** Change records, one folder per day: `changes/dt=2026-11-26/`. */
export const CHANGES_FOLDER = 'changes';

/** Firehose's object key prefix; `!{timestamp:…}` is the record's arrival time, in UTC. */
export const FIREHOSE_PREFIX = `${CHANGES_FOLDER}/${PARTITION_COLUMN}=!{timestamp:yyyy-MM-dd}/`;

/** Records Firehose could not deliver, kept apart so that they never reach a query. */
export const DELIVERY_ERRORS_FOLDER = 'delivery-errors';
export const FIREHOSE_ERROR_PREFIX = `${DELIVERY_ERRORS_FOLDER}/!{firehose:error-output-type}/${PARTITION_COLUMN}=!{timestamp:yyyy-MM-dd}/`;

/**
 * Firehose buffering: an object every 5 minutes, or sooner at 64 MiB. Analysts see a change within
 * about 6 minutes (with the pipe's batching window); fewer, larger objects keep S3 requests and
 * Athena's per-file overhead low.
 */
export const FIREHOSE_BUFFER = { intervalSeconds: 300, sizeMiB: 64 } as const;

/** The pipe waits this long to fill a batch (up to Firehose's 500 records a call). */
export const PIPE_BATCH = { size: 500, windowSeconds: 60 } as const;

/** Partition projection's days: from before this code existed (no record can be older) to today. */
export const PROJECTION_RANGE = '2025-01-01,NOW';
