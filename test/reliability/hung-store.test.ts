import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_REGION } from '#local/embedded-store.ts';
import { createDocumentClient } from '#lib/store/document-client.ts';
import { createDynamoDbEventStore } from '#lib/store/dynamodb-event-store.ts';
import { type Answer, handlersOver } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { TEST_TABLE } from '../support/test-store.ts';

/**
 * A DynamoDB that accepts connections and never answers, with the document client the functions use
 * (its real timeouts and the SDK's real retries). Time is fake: the test advances the clock that the
 * SDK's timers run on, and lets real I/O happen in between, so nothing waits for real.
 */

/** The writer function's timeout in the stack (infra/events-stack.ts). */
const LAMBDA_TIMEOUT_MS = 10_000;
/** "Well inside" it: room for a cold start and the rest of the request. */
const ANSWER_WITHIN_MS = 7_000;
const STEP_MS = 50;

let blackHole: Server;
const sockets: Socket[] = [];
let endpoint: string;
/** Requests that reached the black hole. */
let requests = 0;

beforeAll(async () => {
  blackHole = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', () => requests++);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});
afterEach(() => vi.useRealTimers());

const ioTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('a DynamoDB that never answers', () => {
  it(`gets a 503 with Retry-After from the writer well before its ${LAMBDA_TIMEOUT_MS / 1000} s Lambda timeout`, async () => {
    // Arrange
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = createDocumentClient({ region: LOCAL_REGION, endpoint });
    const api = handlersOver(createDynamoDbEventStore({ client, tableName: TEST_TABLE, retentionDays: 0 }));
    let answer: Answer | undefined;
    // Act
    const posting = api.post(submission('hung'), distinctEvents(3)).then((result) => (answer = result));
    // The clock starts with the first request on the wire (getting there takes real turns, not time).
    for (let turns = 0; requests === 0 && turns < 100_000; turns++) await ioTurn();
    let elapsed = 0;
    while (answer === undefined && elapsed < 3 * LAMBDA_TIMEOUT_MS) {
      for (let i = 0; i < 5; i++) await ioTurn();
      await vi.advanceTimersByTimeAsync(STEP_MS);
      elapsed += STEP_MS;
    }
    // Assert
    expect(answer, `no answer after ${elapsed} ms`).toBeDefined();
    expect(answer).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(elapsed).toBeLessThan(ANSWER_WITHIN_MS);
    expect(requests, 'the SDK retried on fresh connections').toBe(3);
    await posting;
    client.destroy();
  });
});
