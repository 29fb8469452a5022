import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VirtualClock } from './virtual-clock.ts';
import { writeUnits } from './write-units.ts';

/**
 * One DynamoDB partition at its write limit, as the writer sees it through the SDK, on a virtual clock.
 *
 * - The partition takes `unitsPerSecond` write units a second (about 1,000 in DynamoDB; a function of
 *   the time for a partition that other writers keep busy for a while), and holds at most `burstUnits`
 *   of unused ones (it starts with them).
 * - A BatchWriteItem writes its items in order while the units last and hands the rest back as
 *   UnprocessedItems.
 * - One that can write nothing fails with ProvisionedThroughputExceededException, which the SDK retries
 *   (`sdkAttempts` attempts, waiting a random share of 1 s, then 2 s, its backoff for throttling)
 *   before the writer sees it.
 * - Every call takes `latencyMs`. Other calls go through at once.
 */
export interface HotPartitionOptions {
  clock: VirtualClock;
  random: () => number;
  unitsPerSecond?: number | ((nowMs: number) => number);
  burstUnits?: number;
  latencyMs?: number;
  sdkAttempts?: number;
}

export interface HotPartition {
  /** Write units of every item written, resends included. */
  readonly unitsWritten: number;
  readonly itemsWritten: number;
  /** BatchWriteItem calls, counting the SDK's retries. */
  readonly calls: number;
  /** Calls that wrote nothing (each retried by the SDK, or failed to the writer). */
  readonly throttledCalls: number;
  readonly unprocessedItems: number;
  /** Every BatchWriteItem call (the SDK's retries included), in order: how many items it held, how many it wrote. */
  readonly rounds: readonly { items: number; written: number }[];
  stop(): void;
}

type BatchInput = { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> };

const THROTTLING_DELAY_BASE_MS = 1_000;

let partitions = 0;

export function throttleLikeAHotPartition(
  client: DynamoDBDocumentClient,
  { clock, random, unitsPerSecond = 1_000, burstUnits = 100, latencyMs = 10, sdkAttempts = 3 }: HotPartitionOptions,
): HotPartition {
  const stats = { unitsWritten: 0, itemsWritten: 0, calls: 0, throttledCalls: 0, unprocessedItems: 0 };
  const rounds: { items: number; written: number }[] = [];
  let units = burstUnits;
  let refilledAt = clock.now();
  const rate = typeof unitsPerSecond === 'number' ? () => unitsPerSecond : unitsPerSecond;
  const refill = () => {
    units = Math.min(burstUnits, units + ((clock.now() - refilledAt) * rate(clock.now())) / 1_000);
    refilledAt = clock.now();
  };
  const name = `hotPartition-${++partitions}`;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return clock.during(() => next(args));
      const input = args.input as BatchInput;
      const [table, requests] = Object.entries(input.RequestItems)[0]!;
      for (let attempt = 1; ; attempt++) {
        await clock.sleep(latencyMs);
        stats.calls++;
        refill();
        let taken = 0;
        for (const { PutRequest } of requests) {
          const cost = writeUnits(PutRequest.Item);
          if (cost > units) break;
          units -= cost;
          stats.unitsWritten += cost;
          taken++;
        }
        rounds.push({ items: requests.length, written: taken });
        if (taken > 0) {
          const written = requests.slice(0, taken);
          const unprocessed = requests.slice(taken);
          stats.itemsWritten += taken;
          stats.unprocessedItems += unprocessed.length;
          const result = await clock.during(() => next({ ...args, input: { ...input, RequestItems: { [table]: written } } }));
          return {
            ...result,
            output: { ...(result.output as object), UnprocessedItems: unprocessed.length ? { [table]: unprocessed } : {} },
          } as never;
        }
        stats.throttledCalls++;
        if (attempt === sdkAttempts) {
          throw new ProvisionedThroughputExceededException({
            message: 'the partition is at its write limit',
            $metadata: { httpStatusCode: 400, attempts: attempt },
          });
        }
        await clock.sleep(Math.floor(random() * THROTTLING_DELAY_BASE_MS * 2 ** (attempt - 1)));
      }
    },
    { step: 'initialize', name, priority: 'low' },
  );

  return {
    get unitsWritten() {
      return stats.unitsWritten;
    },
    get itemsWritten() {
      return stats.itemsWritten;
    },
    get calls() {
      return stats.calls;
    },
    get throttledCalls() {
      return stats.throttledCalls;
    },
    get unprocessedItems() {
      return stats.unprocessedItems;
    },
    rounds,
    stop() {
      client.middlewareStack.remove(name);
    },
  };
}
