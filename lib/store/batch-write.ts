import { getMaxListeners, setMaxListeners } from 'node:events';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { StorageBusyError } from '#lib/domain/errors.ts';

/** Abort listeners one BatchWriteItem call may hold on the signal: the SDK's send, its retry waits, ours. */
const LISTENERS_PER_CALL = 8;

/** DynamoDB's own cap on the items of one BatchWriteItem call. */
const BATCH_WRITE_LIMIT = 25;

export interface BatchWritePolicy {
  /** How many BatchWriteItem calls may be in flight at once. */
  concurrency: number;
  /** Exponential backoff with full jitter between retries of UnprocessedItems. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetries: number;
  /** Give up (503) once the next retry would end past this much time from the first call. */
  budgetMs: number;
  /** Waits between retries; ends early, rejecting, when the request's signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<unknown>;
  /** The clock the budget is measured on. */
  now: () => number;
  random: () => number;
}

export const defaultBatchWritePolicy: BatchWritePolicy = {
  concurrency: 4,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  maxRetries: 10,
  budgetMs: 4_000,
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
  now: () => Date.now(),
  random: Math.random,
};

type Item = Record<string, unknown>;

export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  policy: BatchWritePolicy = defaultBatchWritePolicy,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = policy.now() + policy.budgetMs;
  // Every call in flight (and the SDK's retries of it) listens on the request's signal: more than
  // Node's default of 10 at once is expected here, not a leak.
  if (signal) setMaxListeners(Math.max(getMaxListeners(signal), LISTENERS_PER_CALL * policy.concurrency), signal);
  const chunks: Item[][] = [];
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    chunks.push(items.slice(start, start + BATCH_WRITE_LIMIT));
  }
  let next = 0;
  let failed = false;
  // Once one chunk has failed the request is answered 503: the other workers start no further chunk.
  const worker = async () => {
    while (!failed && next < chunks.length) {
      await writeChunk(client, tableName, chunks[next++]!, policy, deadline, signal).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(policy.concurrency, chunks.length) }, worker));
}

async function writeChunk(
  client: DynamoDBDocumentClient,
  tableName: string,
  chunk: Item[],
  policy: BatchWritePolicy,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
  for (let retry = 0; ; retry++) {
    const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }), {
      abortSignal: signal,
    });
    pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
    if (pending.length === 0) return;
    const delay = policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
    if (retry >= policy.maxRetries || policy.now() + delay > deadline) {
      throw new StorageBusyError(`${pending.length} events were still unprocessed after ${retry + 1} attempts.`);
    }
    await policy.sleep(delay, signal);
  }
}
