import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { importJWK, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { mintLocalToken, type LocalTokenScope } from '#lib/auth/local-token.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, routeScopes, scopesOfAccess } from '#lib/auth/scopes.ts';
import type { HttpEvent } from '#lib/http/types.ts';
import { LOCAL_REGION } from '#local/embedded-store.ts';
import { loadLocalAuthorize } from '#local/local-authorizer.ts';
import { type Authorize, type LocalServer, LOCAL_TABLE_NAME, startLocalServer } from '#local/server.ts';
import { createSigningKey, sign, signHs256WithPublicKey, tamperPayload, type TestSigningKey, unsecuredToken } from '../support/test-issuer.ts';
import type { ReturnedEvent } from '../support/api-shapes.ts';
import documentedEvent from '../support/fixtures/apigw-v2-jwt-event.json' with { type: 'json' };
import recordedContext from '../support/fixtures/apigw-v2-jwt-claims-recorded.json' with { type: 'json' };
import { batchBody, distinctEvents, eventsPath, submission, type SubmissionPath } from '../support/http-events.ts';

/**
 * The local server as `npm start` runs it: the real local authorizer over a key pair made in a temporary
 * DATA_DIR, and a CORS configuration allowing one origin. Every request goes over HTTP.
 */
const ALLOWED_ORIGIN = 'https://canvas.example.test';
const OTHER_ORIGIN = 'https://elsewhere.example.test';
const SCOPES = routeScopes();
const UNAUTHORIZED = { message: 'Unauthorized' };
const FORBIDDEN_BY_GATEWAY = { message: 'Forbidden' };
const FORBIDDEN_BY_CANVAS = { status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] };
const INVALID_TOKEN = 'Bearer scope="" error="invalid_token"';
const WRONG_AUDIENCE = 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"';

let dataDir: string;
let server: LocalServer;
let store: DynamoDBClient;
let localKey: TestSigningKey;
let authorize: Authorize;
/** What the server's authorizer is for the current test; the server keeps one function module set per process. */
let currentAuthorize: Authorize;
const seenEvents: HttpEvent[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'auth-http-'));
  authorize = await loadLocalAuthorize(dataDir);
  currentAuthorize = authorize;
  server = await startLocalServer({
    port: 0,
    dataDir,
    authorize: (method, headers) => currentAuthorize(method, headers),
    allowedOrigins: [ALLOWED_ORIGIN],
    onEvent: (event) => seenEvents.push(event),
  });
  const { kid, privateKey, jwks } = await loadLocalSigningKey(dataDir);
  const publicJwk = jwks.keys[0]!;
  localKey = { kid, alg: 'RS256', privateKey, publicKey: (await importJWK(publicJwk, 'RS256')) as CryptoKey, publicJwk };
  store = new DynamoDBClient({ endpoint: server.storeEndpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  store?.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

// ---- helpers -------------------------------------------------------------------------------------

let submissionCount = 0;
const freshSubmission = (courseId = '1'): SubmissionPath => submission(`auth-${++submissionCount}`, courseId);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims the local authorizer accepts on both routes; each refusal test breaks exactly one. */
const goodClaims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: LOCAL_ISSUER,
  aud: LOCAL_AUDIENCE,
  sub: 'student-1',
  iat: nowSeconds() - 60,
  exp: nowSeconds() + 3600,
  scope: `${SCOPES.postEvents} ${SCOPES.getEvents}`,
  course_ids: ['*'],
  ...overrides,
});

const token = (sub: string, scopes: LocalTokenScope[] = ['read', 'write'], courseIds: string[] = ['*']) =>
  mintLocalToken({ dataDir, sub, scopes, ttlSeconds: 600, courseIds });

const bearer = (value: string | undefined): Record<string, string> => (value === undefined ? {} : { authorization: `Bearer ${value}` });

function post(path: SubmissionPath, authorization: Record<string, string>, body = batchBody(distinctEvents(2)), headers: Record<string, string> = {}) {
  return fetch(`${server.url}${eventsPath(path)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization, ...headers },
    body,
  });
}

function get(path: SubmissionPath, authorization: Record<string, string>, query = '', headers: Record<string, string> = {}) {
  return fetch(`${server.url}${eventsPath(path)}${query}`, { headers: { ...authorization, ...headers } });
}

/** Every item in the table: events and submissions alike. Only a test may count this way. */
async function storedItems(): Promise<number> {
  const { Count } = await store.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, Select: 'COUNT' }));
  return Count ?? 0;
}

async function readAll(path: SubmissionPath): Promise<ReturnedEvent[]> {
  const answer = await get(path, bearer(await token('reader', ['read'])), '?per_page=100');
  expect(answer.status).toBe(200);
  return (await answer.json()).quiz_submission_events;
}

async function withAuthorize<T>(replacement: Authorize, run: () => Promise<T>): Promise<T> {
  currentAuthorize = replacement;
  try {
    return await run();
  } finally {
    currentAuthorize = authorize;
  }
}

// ---- 401: no token, or one that does not hold -------------------------------------------------------

type TokenCase = [name: string, authorization: () => Promise<Record<string, string>>, challenge: string];

const tokenFailures: TokenCase[] = [
  ['no Authorization header', async () => ({}), 'Bearer'],
  ['an empty bearer', async () => ({ authorization: 'Bearer ' }), 'Bearer'],
  ['a malformed token', async () => ({ authorization: 'Bearer not.a.jwt' }), INVALID_TOKEN],
  ['an expired token', async () => bearer(await sign(localKey, goodClaims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 1 }))), INVALID_TOKEN],
  ['a token without exp', async () => bearer(await sign(localKey, goodClaims({ exp: undefined }))), INVALID_TOKEN],
  ['a token not yet valid (nbf)', async () => bearer(await sign(localKey, goodClaims({ nbf: nowSeconds() + 600 }))), INVALID_TOKEN],
  ['a token issued in the future (iat)', async () => bearer(await sign(localKey, goodClaims({ iat: nowSeconds() + 600 }))), INVALID_TOKEN],
  ['a token from another issuer', async () => bearer(await sign(localKey, goodClaims({ iss: 'https://issuer.example.test/' }))), INVALID_TOKEN],
  ['a token for another audience', async () => bearer(await sign(localKey, goodClaims({ aud: 'another-api' }))), WRONG_AUDIENCE],
  ['a token for another client_id and no aud', async () => bearer(await sign(localKey, goodClaims({ aud: undefined, client_id: 'another-api' }))), WRONG_AUDIENCE],
  ['a token whose kid is unknown', async () => bearer(await sign(await createSigningKey('unknown-kid'), goodClaims())), INVALID_TOKEN],
  ['a token without kid', async () => bearer(await sign(localKey, goodClaims(), { kid: undefined })), INVALID_TOKEN],
  ['an unsigned token (alg none)', async () => bearer(unsecuredToken(goodClaims(), localKey.kid)), INVALID_TOKEN],
  ['an HS256 token keyed with the public key', async () => bearer(await signHs256WithPublicKey(localKey, goodClaims())), INVALID_TOKEN],
  [
    'a token signed by another key under the local kid',
    async () => bearer(await sign({ ...(await createSigningKey('impostor')), kid: localKey.kid }, goodClaims())),
    INVALID_TOKEN,
  ],
  ['a token whose payload was changed after signing', async () => bearer(tamperPayload(await sign(localKey, goodClaims()), { sub: 'teacher-1' })), INVALID_TOKEN],
];

describe('the local server refuses, with the gateway\'s 401, and stores nothing:', () => {
  it.each(tokenFailures)('a POST with %s', async (_, authorization, challenge) => {
    // Arrange
    const path = freshSubmission();
    const before = await storedItems();

    // Act
    const answer = await post(path, await authorization());

    // Assert
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(challenge);
    expect(await answer.json()).toEqual(UNAUTHORIZED);
    expect(await storedItems()).toBe(before);
  });

  it.each(tokenFailures)('a GET with %s', async (_, authorization, challenge) => {
    // Arrange: a submission with events, so that only the token stands between the reader and them
    const path = freshSubmission();
    expect((await post(path, bearer(await token('student-1')))).status).toBe(204);

    // Act
    const answer = await get(path, await authorization());

    // Assert
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(challenge);
    expect(await answer.json()).toEqual(UNAUTHORIZED);
  });

  it('a request refused by the authorizer never reaches a function', async () => {
    const seen = seenEvents.length;
    await post(freshSubmission(), {});
    await get(freshSubmission(), bearer('not.a.jwt'));
    expect(seenEvents).toHaveLength(seen);
  });
});

describe('tokens the local server accepts, as the gateway would', () => {
  it('a token minted by npm run token, on both routes', async () => {
    const path = freshSubmission();
    const authorization = bearer(await token('student-1'));
    expect((await post(path, authorization)).status).toBe(204);
    expect((await get(path, authorization)).status).toBe(200);
  });

  it('the bare token without "Bearer ", and "bearer" in any case', async () => {
    const path = freshSubmission();
    const raw = await token('student-1');
    expect((await post(path, { authorization: raw })).status).toBe(204);
    expect((await get(path, { authorization: `bEaReR ${raw}` })).status).toBe(200);
  });

  it('client_id standing in for a missing aud', async () => {
    const answer = await post(freshSubmission(), bearer(await sign(localKey, goodClaims({ aud: undefined, client_id: LOCAL_AUDIENCE }))));
    expect(answer.status).toBe(204);
  });

  it('scopes in scp, as a list, instead of scope', async () => {
    const answer = await post(freshSubmission(), bearer(await sign(localKey, goodClaims({ scope: undefined, scp: [SCOPES.postEvents] }))));
    expect(answer.status).toBe(204);
  });
});

// ---- 403: a valid token without the route's scope ---------------------------------------------------

describe('the route\'s scope', () => {
  it('a read-only token cannot POST: the gateway\'s 403, and nothing stored', async () => {
    // Arrange
    const before = await storedItems();
    // Act
    const answer = await post(freshSubmission(), bearer(await token('student-1', ['read'])));
    // Assert
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(await answer.json()).toEqual(FORBIDDEN_BY_GATEWAY);
    expect(await storedItems()).toBe(before);
  });

  it('a write-only token cannot GET, even the events it wrote', async () => {
    // Arrange
    const path = freshSubmission();
    const writeOnly = bearer(await token('student-1', ['write']));
    expect((await post(path, writeOnly)).status).toBe(204);
    // Act
    const answer = await get(path, writeOnly);
    // Assert
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual(FORBIDDEN_BY_GATEWAY);
  });

  it('a token with no scope at all can do neither', async () => {
    const noScope = bearer(await sign(localKey, goodClaims({ scope: undefined })));
    const before = await storedItems();
    expect((await post(freshSubmission(), noScope)).status).toBe(403);
    expect((await get(freshSubmission(), noScope)).status).toBe(403);
    expect(await storedItems()).toBe(before);
  });

  it('is a whole scope string: a prefix of it, or the other route\'s, does not do', async () => {
    const near = bearer(await sign(localKey, goodClaims({ scope: `${SCOPES.getEvents} ${SCOPES.postEvents.slice(0, -1)}` })));
    expect((await post(freshSubmission(), near)).status).toBe(403);
  });

  it('follows WRITE_SCOPE and READ_SCOPE when they replace Canvas\'s strings', async () => {
    const overridden = await loadLocalAuthorize(dataDir, { scopeOverrides: { write: 'events.write', read: 'events.read' } });
    await withAuthorize(overridden, async () => {
      const path = freshSubmission();
      const canvasScopes = bearer(await token('student-1'));
      expect((await post(path, canvasScopes)).status).toBe(403);
      const custom = bearer(await sign(localKey, goodClaims({ scope: 'events.write events.read' })));
      expect((await post(path, custom)).status).toBe(204);
      expect((await get(path, custom)).status).toBe(200);
      expect((await get(path, canvasScopes)).status).toBe(403);
    });
  });
});

// ---- ownership ---------------------------------------------------------------------------------------

describe('a submission belongs to its first writer', () => {
  it('another subject\'s POST is refused with Canvas\'s 403, and nothing of it is stored', async () => {
    // Arrange
    const path = freshSubmission();
    const owner = await token('student-1');
    expect((await post(path, bearer(owner), batchBody(distinctEvents(2)))).status).toBe(204);
    const before = await storedItems();

    // Act
    const intruder = await post(path, bearer(await token('student-2')), batchBody(distinctEvents(3, Date.parse('2015-01-01T00:00:00Z'))));

    // Assert
    expect(intruder.status).toBe(403);
    expect(await intruder.json()).toEqual(FORBIDDEN_BY_CANVAS);
    expect(await storedItems()).toBe(before);
    expect(await readAll(path)).toHaveLength(2);
  });

  it('the owner keeps writing to it, including a new attempt', async () => {
    const path = freshSubmission();
    const owner = bearer(await token('student-1'));
    expect((await post(path, owner)).status).toBe(204);
    expect((await post(path, owner, batchBody(distinctEvents(1), { attempt: 2 }))).status).toBe(204);
    expect((await post(path, bearer(await token('student-2')), batchBody(distinctEvents(1), { attempt: 3 }))).status).toBe(403);
  });

  it('two subjects racing for a new submission: exactly one wins, and none of the loser\'s events are stored', async () => {
    // Arrange: 20 first POSTs at once, alternating between two subjects, every batch distinct
    const path = freshSubmission();
    const subjects = ['student-a', 'student-b'] as const;
    const tokens = { 'student-a': await token('student-a'), 'student-b': await token('student-b') };
    const attempts = Array.from({ length: 20 }, (_, i) => {
      const subject = subjects[i % 2]!;
      const events = distinctEvents(2, Date.parse('2020-01-01T00:00:00Z') + i * 60_000);
      return { subject, timestamps: events.map((event) => event.client_timestamp as string), body: batchBody(events) };
    });

    // Act
    const statuses = await Promise.all(attempts.map(async ({ subject, body }) => (await post(path, bearer(tokens[subject]), body)).status));

    // Assert
    const statusesOf = (subject: string) => new Set(statuses.filter((_, i) => attempts[i]!.subject === subject));
    const winner = attempts[statuses.indexOf(204)]?.subject;
    const loser = subjects.find((subject) => subject !== winner);
    expect(winner).toBeDefined();
    expect(statusesOf(winner!)).toEqual(new Set([204]));
    expect(statusesOf(loser!)).toEqual(new Set([403]));
    const stored = (await readAll(path)).map((event) => event.client_timestamp).sort();
    const winnersTimestamps = attempts.filter((a) => a.subject === winner).flatMap((a) => a.timestamps).sort();
    expect(stored).toEqual(winnersTimestamps);
  });
});

// ---- course-limited readers ----------------------------------------------------------------------------

describe('a token carrying course_ids', () => {
  let inCourse11: SubmissionPath;
  let inCourse13: SubmissionPath;

  beforeAll(async () => {
    inCourse11 = freshSubmission('11');
    inCourse13 = freshSubmission('13');
    const writer = bearer(await token('student-1'));
    expect((await post(inCourse11, writer)).status).toBe(204);
    expect((await post(inCourse13, writer)).status).toBe(204);
  });

  it('reads the courses it lists', async () => {
    const reader = bearer(await token('teacher-1', ['read'], ['11', '12']));
    const answer = await get(inCourse11, reader);
    expect(answer.status).toBe(200);
    expect((await answer.json()).quiz_submission_events).toHaveLength(2);
  });

  it('is refused any other course with Canvas\'s 403', async () => {
    const reader = bearer(await token('teacher-1', ['read'], ['11', '12']));
    const answer = await get(inCourse13, reader);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual(FORBIDDEN_BY_CANVAS);
  });

  it('is refused every course when the list is empty', async () => {
    const reader = bearer(await sign(localKey, goodClaims({ course_ids: [] })));
    expect((await get(inCourse11, reader)).status).toBe(403);
  });

  it("is needed: a token without the claim reaches no course, reading or writing", async () => {
    const withoutClaim = bearer(await sign(localKey, goodClaims({ course_ids: undefined })));
    expect((await get(inCourse13, withoutClaim)).status).toBe(403);
    expect((await post(freshSubmission('13'), withoutClaim)).status).toBe(403);
  });

  it("reaches every course with '*', for institution-wide reporting tools", async () => {
    const reader = bearer(await token('registrar', ['read'], ['*']));
    expect((await get(inCourse13, reader)).status).toBe(200);
    expect((await get(inCourse11, reader)).status).toBe(200);
  });
});

// ---- what the handler sees ---------------------------------------------------------------------------------

describe('the claims and scopes a function receives', () => {
  it('are what API Gateway delivers: requestContext.authorizer holds only jwt, every claim a string, lists Go-style', async () => {
    // Arrange: the recorded gateway event's claims, re-issued by the local issuer with their JSON types
    const recorded = recordedContext.jwt.claims;
    const iat = nowSeconds() - 30;
    const payload: JWTPayload = {
      auth_time: Number(recorded.auth_time),
      client_id: LOCAL_AUDIENCE,
      exp: iat + 3600,
      iat,
      iss: LOCAL_ISSUER,
      jti: recorded.jti,
      origin_jti: recorded.origin_jti,
      scope: `${SCOPES.postEvents} ${SCOPES.getEvents}`,
      sub: recorded.sub,
      token_use: recorded.token_use,
      course_ids: ['1', '12'],
    };
    const before = seenEvents.length;

    // Act
    const answer = await post(freshSubmission(), bearer(await sign(localKey, payload)));

    // Assert
    expect(answer.status).toBe(204);
    expect(seenEvents).toHaveLength(before + 1);
    const { authorizer } = seenEvents.at(-1)!.requestContext;
    expect(authorizer).toEqual({
      jwt: {
        claims: {
          ...recorded,
          client_id: LOCAL_AUDIENCE,
          exp: String(iat + 3600),
          iat: String(iat),
          iss: LOCAL_ISSUER,
          scope: `${SCOPES.postEvents} ${SCOPES.getEvents}`,
          course_ids: '[1 12]',
        },
        scopes: [SCOPES.postEvents, SCOPES.getEvents],
      },
    });
    expect(Object.keys(authorizer.jwt).sort()).toEqual(Object.keys(documentedEvent.requestContext.authorizer.jwt).sort());
  });

  it('name the subject that the token names, on the route the request took', async () => {
    const before = seenEvents.length;
    await get(freshSubmission(), bearer(await token('teacher-3', ['read'])));
    const event = seenEvents.at(-1)!;
    expect(seenEvents).toHaveLength(before + 1);
    expect(event.routeKey).toBe('GET /api/v1/courses/{course_id}/quizzes/{quiz_id}/submissions/{id}/events');
    expect(event.requestContext.authorizer.jwt).toMatchObject({ claims: { sub: 'teacher-3', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE }, scopes: scopesOfAccess('read') });
  });
});

// ---- CORS ------------------------------------------------------------------------------------------------

describe('CORS, as the HTTP API configured with allowed origins answers', () => {
  const preflight = (origin: string, method = 'POST') =>
    fetch(`${server.url}${eventsPath(freshSubmission())}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
    });
  const corsHeadersOf = (answer: Response) => [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'));

  it('answers a preflight from an allowed origin itself, with 204 and no token needed', async () => {
    const answer = await preflight(ALLOWED_ORIGIN);
    expect(answer.status).toBe(204);
    expect(await answer.text()).toBe('');
    expect(Object.fromEntries([...answer.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': ALLOWED_ORIGIN,
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '7200',
    });
  });

  it('answers a preflight from any other origin with 204 and no CORS headers, so the browser stops there', async () => {
    const answer = await preflight(OTHER_ORIGIN);
    expect(answer.status).toBe(204);
    expect(corsHeadersOf(answer)).toEqual([]);
  });

  it('routes an OPTIONS that is not a preflight, and there is no OPTIONS route', async () => {
    const answer = await fetch(`${server.url}${eventsPath(freshSubmission())}`, { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN } });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ message: 'Not Found' });
  });

  it('lets an allowed origin read answers, Link header included', async () => {
    const path = freshSubmission();
    const authorization = bearer(await token('student-1'));
    const posted = await post(path, authorization, batchBody(distinctEvents(3)), { origin: ALLOWED_ORIGIN });
    const read = await get(path, authorization, '?per_page=1', { origin: ALLOWED_ORIGIN });
    for (const answer of [posted, read]) {
      expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(answer.headers.get('access-control-expose-headers')?.split(',')).toContain('link');
    }
    expect(read.headers.get('link')).toContain('rel="next"');
  });

  it('lets an allowed origin read the gateway\'s own refusals too', async () => {
    const answer = await post(freshSubmission(), {}, undefined, { origin: ALLOWED_ORIGIN });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('gives another origin, or a request without Origin, no CORS headers: never *', async () => {
    const path = freshSubmission();
    const authorization = bearer(await token('student-1'));
    expect((await post(path, authorization)).status).toBe(204);
    const fromElsewhere = await get(path, authorization, '', { origin: OTHER_ORIGIN });
    const withoutOrigin = await get(path, authorization);
    expect(fromElsewhere.status).toBe(200);
    expect(corsHeadersOf(fromElsewhere)).toEqual([]);
    expect(corsHeadersOf(withoutOrigin)).toEqual([]);
  });
});
