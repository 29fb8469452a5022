import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { invalidPathId, invalidPostBody, unsupportedContentType } from '../support/arbitraries.ts';
import { type Fault, type FaultInjector, injectFaults } from '../support/fault-injection.ts';
import { eventsPath, type SubmissionPath, submission } from '../support/http-events.ts';
import { authorizeBySubjectHeader, percentEncoded, postBatch, rawRequest, readAllEvents, SUBJECT_HEADER } from '../support/local-http.ts';
import { type PostOutcome, QuizClient, reconcile, type Reconciliation, seededRandom, sumReconciliations } from '../support/quiz-client.ts';

/**
 * Many quiz clients at once through the local server (real HTTP on loopback, the handlers Lambda runs,
 * dynalite), with faults injected into the server's DynamoDB client, answers lost on the way back,
 * requests aborted mid-flight, and callers sending garbage and posting into others' submissions.
 * Bounded by counts: it stops by itself.
 */

const SEED = 20_241_126;
const ROUNDS = 8;
const MAX_EVENTS_A_ROUND = 40;
const MAX_RESENDS = 40;
const random = seededRandom(SEED);

/** Who posts where: one client each, two tabs of one student, three tabs on an explicit attempt. */
interface Group {
  path: SubmissionPath;
  subject: string;
  clients: number;
  query?: string;
}
const groups: Group[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ path: submission(`solo-${i}`), subject: `student-solo-${i}`, clients: 1 })),
  ...Array.from({ length: 4 }, (_, i) => ({ path: submission(`tabs-${i}`), subject: `student-tabs-${i}`, clients: 2 })),
  { path: submission('explicit-attempt'), subject: 'student-explicit-attempt', clients: 3, query: 'attempt=1' },
];

/** 4% throttled, 2% DynamoDB 500s, 2% timeouts after the write, 2% dropped connections, 6% partly unprocessed. */
function faultPlan(): (call: { operation: string }) => Fault | undefined {
  return ({ operation }) => {
    const roll = random();
    if (operation === 'UpdateItem') return roll < 0.03 ? { kind: 'throttling' } : undefined;
    if (operation !== 'BatchWriteItem') return undefined;
    if (roll < 0.04) return { kind: 'throughput-exceeded' };
    if (roll < 0.06) return { kind: 'server-error' };
    if (roll < 0.08) return { kind: 'timeout', afterWrite: true };
    if (roll < 0.1) return { kind: 'connection-reset' };
    if (roll < 0.16) return { kind: 'unprocessed', keep: 1 + Math.floor(random() * 24) };
    return undefined;
  };
}

let server: LocalServer;
let faults: FaultInjector;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, authorize: authorizeBySubjectHeader });
  faults = injectFaults(server.documentClient, faultPlan());
});
afterAll(() => server.close());

/** A transport that sometimes aborts the request once it is on its way (the server may or may not have it). */
function sendOver(group: Group) {
  return (body: string): Promise<PostOutcome> => {
    const controller = new AbortController();
    if (random() < 0.05) setImmediate(() => controller.abort());
    return postBatch(server.url, group.path, body, { subject: group.subject, query: group.query, signal: controller.signal });
  };
}

interface HostileTally {
  requests: number;
  fiveHundreds: number;
  statuses: Map<number | string, number>;
  /** Posts into another student's submission: 403, or 503 when an injected fault came first. */
  trespass: Map<number | string, number>;
}

/** Garbage and trespass, sent while the clients run: each must be refused with a 4xx and change nothing. */
async function hostileCaller(seed: number, tally: HostileTally) {
  const bodies = fc.sample(invalidPostBody(), { seed, numRuns: 30 });
  const ids = fc.sample(invalidPathId(), { seed, numRuns: 10 });
  const types = fc.sample(unsupportedContentType(), { seed, numRuns: 10 });
  const requests = [
    ...bodies.map(({ body }, i) => {
      const group = groups[i % groups.length]!;
      return { method: 'POST', target: eventsPath(group.path), headers: { 'content-type': 'application/json', [SUBJECT_HEADER]: group.subject }, body };
    }),
    ...ids.map((id) => ({ method: 'POST', target: `/api/v1/courses/1/quizzes/2/submissions/${percentEncoded(id)}/events`, headers: { 'content-type': 'application/json' }, body: '{"quiz_submission_events":[{"event_type":"t"}]}' })),
    ...types.map((type, i) => ({ method: 'POST', target: eventsPath(groups[i]!.path), headers: { 'content-type': type, [SUBJECT_HEADER]: groups[i]!.subject }, body: '{"quiz_submission_events":[{"event_type":"t"}]}' })),
    ...['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map((method, i) => ({ method, target: eventsPath(groups[i]!.path), headers: { [SUBJECT_HEADER]: groups[i]!.subject } })),
  ];
  for (const request of requests) {
    const { status } = await rawRequest(server.url, request);
    tally.requests++;
    tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
    if (typeof status !== 'number' || status >= 500) tally.fiveHundreds++;
  }
  // Another student posting into someone else's submission.
  for (const group of groups.slice(0, 5)) {
    const { status } = await rawRequest(server.url, {
      method: 'POST',
      target: eventsPath(group.path),
      headers: { 'content-type': 'application/json', [SUBJECT_HEADER]: 'intruder' },
      body: JSON.stringify({ quiz_submission_events: [{ event_type: 'intruded', client_timestamp: '2014-10-08T19:00:00Z' }] }),
    });
    tally.trespass.set(status, (tally.trespass.get(status) ?? 0) + 1);
  }
}

describe('many clients at once, through the local server', () => {
  it('store every event exactly once, answer only 204 or 503 to valid batches, and 4xx to garbage', async () => {
    // Arrange
    const clients = groups.flatMap((group, g) =>
      Array.from({ length: group.clients }, (_, c) => ({
        group,
        client: new QuizClient({
          name: `${group.path.submissionId}-tab-${c}`,
          send: sendOver(group),
          random: seededRandom(SEED + g * 10 + c),
          clockMs: Date.parse('2014-10-08T19:00:00.000Z') + g * 3_600_000,
          lostAnswerRate: 0.1,
          repeatRate: 0.03,
        }),
      })),
    );
    const hostile: HostileTally = { requests: 0, fiveHundreds: 0, statuses: new Map(), trespass: new Map() };
    // Each submission's owner posts first, so that trespassers cannot take a submission over.
    for (const group of groups) {
      const { client } = clients.find((entry) => entry.group === group)!;
      client.record(1);
      await faults.suspended(() => client.flush());
    }

    // Act: every client does its rounds at once, while hostile callers send garbage; then each resends
    // until its buffer is acknowledged.
    await Promise.all([
      ...clients.map(async ({ client }) => {
        for (let round = 0; round < ROUNDS; round++) {
          client.record(1 + Math.floor(random() * MAX_EVENTS_A_ROUND));
          await client.flush();
        }
        await client.drain(MAX_RESENDS);
      }),
      ...[1, 2, 3].map((seed) => hostileCaller(SEED + seed, hostile)),
    ]);
    faults.stop();

    // Assert
    const perGroup: Reconciliation[] = [];
    for (const group of groups) {
      const sent = clients.filter((entry) => entry.group === group).flatMap(({ client }) => client.generated);
      const stored = await readAllEvents(server.url, group.path, { subject: group.subject, query: `${group.query ? `${group.query}&` : ''}per_page=100` });
      const result = reconcile(sent, stored);
      expect(result, group.path.submissionId).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
      perGroup.push(result);
    }
    const outcomes = clients.flatMap(({ client }) => client.outcomes);
    for (const { client } of clients) expect(client.pending, client.name).toEqual([]);
    const byStatus = (status: PostOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
    for (const outcome of outcomes) {
      if (outcome.status === 503) expect(outcome.retryAfter).toBe('1');
      else expect([204, 'no-answer']).toContain(outcome.status);
    }
    expect(byStatus(503)).toBeLessThanOrEqual(faults.total);
    expect(hostile.fiveHundreds, JSON.stringify([...hostile.statuses])).toBe(0);
    for (const status of hostile.statuses.keys()) expect(status).toBeGreaterThanOrEqual(400);
    for (const status of hostile.trespass.keys()) expect([403, 503]).toContain(status);

    const totals = sumReconciliations(perGroup);
    console.log(
      `[reliability] concurrency: ${clients.length} clients on ${groups.length} submissions, ${outcomes.length} POSTs ` +
        `(${byStatus(204)} answered 204, ${byStatus(503)} answered 503, ${byStatus('no-answer')} without an answer), ` +
        `${faults.total} faults injected; events sent ${totals.sent}, stored ${totals.stored}, lost ${totals.lost}, ` +
        `duplicated ${totals.duplicated}; ${hostile.requests} bad requests, ${hostile.fiveHundreds} answered 5xx; ` +
        `${[...hostile.trespass.values()].reduce((sum, count) => sum + count, 0)} posts into others' submissions, refused`,
    );
  });
});
