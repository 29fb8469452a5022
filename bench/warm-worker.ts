/**
 * One side of the warm comparison (`ours` or `baseline`), in a process of its own as on Lambda, driven
 * over IPC by warm-overhead.ts: it builds the handlers of every scenario, then runs blocks of requests
 * on demand and answers the time per request of each block, in µs.
 */
import { performance } from 'node:perf_hooks';
import { createReaderHandler } from '#lib/handlers/reader.ts';
import { createWriterHandler } from '#lib/handlers/writer.ts';
import { createDynamoDbEventStore } from '#lib/store/dynamodb-event-store.ts';
import { minimalGetHandler, minimalPostHandler } from './baseline/minimal-handlers.ts';
import { cannedDocumentClient } from './canned-dynamodb.ts';
import { type Handler, lambdaContext, warmScenarios } from './warm-scenarios.ts';

export type WarmSide = 'ours' | 'baseline';
export type WarmCommand = { scenario: string; iterations: number } | { exit: true };
export type WarmReply = { ready: true } | { microseconds: number };

const TABLE = 'bench';
const side = process.argv[2] as WarmSide;

const scenarios = new Map<string, { handler: Handler; event: Parameters<Handler>[0] }>();
for (const scenario of warmScenarios()) {
  const client = cannedDocumentClient(scenario.answers);
  const isPost = scenario.event.requestContext.http.method === 'POST';
  const store = createDynamoDbEventStore({ client, tableName: TABLE, retentionDays: 0 });
  const handler: Handler =
    side === 'ours'
      ? (isPost ? createWriterHandler : createReaderHandler)({ store, courseClaim: 'course_ids' })
      : isPost ? minimalPostHandler(client, TABLE) : minimalGetHandler(client, TABLE);
  const { statusCode } = await handler(scenario.event, lambdaContext);
  if (statusCode !== scenario.expectedStatus) throw new Error(`${scenario.name}: ${side} answered ${statusCode}`);
  scenarios.set(scenario.name, { handler, event: scenario.event });
}

/**
 * Wall time of the handler, which is what Lambda bills. (Process CPU time was tried: it also counts
 * V8's background GC and compiler threads and came out noisier on this shared machine.)
 */
async function runBlock(name: string, iterations: number): Promise<number> {
  const { handler, event } = scenarios.get(name)!;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await handler(event, lambdaContext);
  return ((performance.now() - started) * 1000) / iterations;
}

process.on('message', (command: WarmCommand) => {
  if ('exit' in command) process.disconnect();
  else void runBlock(command.scenario, command.iterations).then((microseconds) => process.send!({ microseconds } satisfies WarmReply));
});
process.send!({ ready: true } satisfies WarmReply);
