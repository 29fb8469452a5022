import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, scopesOfAccess } from '#lib/auth/scopes.ts';
import { loadLocalAuthorize } from '#local/local-authorizer.ts';
import { type LocalServer, startLocalServer } from '#local/server.ts';
import { parseLinks } from '../support/api-shapes.ts';
import { batchBody, distinctEvents, eventsPath, submission } from '../support/http-events.ts';
import { checkAnswer, lowerCaseHeaders, routeOfRequest } from '../support/openapi-answers.ts';

/** The local server's own attack surface: what it takes from a request before and beside the functions. */
const PUBLIC_URL = 'https://events.example.edu';
let dataDir: string;
let server: LocalServer;
let token: string;
const path = eventsPath(submission('local-attack'));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-attack-'));
  server = await startLocalServer({ port: 0, dataDir, authorize: await loadLocalAuthorize(dataDir), publicUrl: PUBLIC_URL });
  token = await mintLocalToken({ dataDir, sub: 'student-1', scopes: ['read', 'write'], courseIds: ['1'], ttlSeconds: 600 });
  const posted = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: batchBody(distinctEvents(5)),
  });
  expect(posted.status).toBe(204);
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** One request through node:http, which sends any Host header as given, answered as status and headers. */
function request(options: http.RequestOptions & { body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sent = http.request({ host: hostname, port, agent: false, ...options }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => {
        const method = options.method ?? 'GET';
        const target = options.path ?? '/';
        checkAnswer(routeOfRequest(method, target.split('?', 1)[0]!), `${method} ${target}`, { status: response.statusCode!, headers: lowerCaseHeaders(response.headers), body });
        resolve({ status: response.statusCode!, headers: response.headers, body });
      });
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

describe('5. the local server', () => {
  it("builds Link URLs from its public URL, never from the request's Host header", async () => {
    const answer = await request({
      path: `${path}?per_page=2`,
      headers: { host: 'evil>; rel="next", <https://evil.example/x', authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    const links = parseLinks(String(answer.headers.link));
    expect(Object.keys(links).sort()).toEqual(['current', 'first', 'next']);
    for (const url of Object.values(links)) expect(url!.startsWith(`${PUBLIC_URL}${path}?`)).toBe(true);
    expect(String(answer.headers.link)).not.toContain('evil');
  });

  it('answers a request without a token before reading its body: 401 while a 5 MB body is still unsent', async () => {
    const { hostname, port } = new URL(server.url);
    const answer = await new Promise<number>((resolve, reject) => {
      const sent = http.request(
        { host: hostname, port, agent: false, method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': 5_000_000 } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
          sent.destroy();
        },
      );
      sent.on('error', (error) => (sent.destroyed ? undefined : reject(error)));
      sent.flushHeaders();
    });
    expect(answer).toBe(401);
  });

  it('leaves access_token out of Link URLs, in any case', async () => {
    const answer = await fetch(`${server.url}${path}?ACCESS_TOKEN=secret-1&Access_Token=secret-2&access_token=secret-3&per_page=2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const link = String(answer.headers.get('link'));
    expect(link).not.toMatch(/secret|access_token/i);
  });

  it.each(['exp', 'nbf', 'iat'])('refuses a token whose %s is 1e400 (read as Infinity) with 401', async (claim) => {
    const { kid, privateKey } = await loadLocalSigningKey(dataDir);
    const now = Math.floor(Date.now() / 1000);
    const times = { exp: now + 600, nbf: now - 60, iat: now - 60 };
    const claims = Object.entries({ ...times, [claim]: '1e400' }).map(([name, value]) => `"${name}":${value}`);
    const payload = `{"iss":"${LOCAL_ISSUER}","aud":"${LOCAL_AUDIENCE}","sub":"student-1","scope":"${scopesOfAccess('read').join(' ')}","course_ids":["1"],${claims.join(',')}}`;
    const forged = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const answer = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${forged}` } });
    expect(answer.status).toBe(401);
  });
});
