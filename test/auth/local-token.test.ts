import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListClaim } from '#lib/auth/list-claim.ts';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import type { JwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { mintLocalToken } from '#lib/auth/local-token.ts';
import type { LocalTokenRequest } from '#lib/auth/local-token.ts';
import { canvasScope, LOCAL_AUDIENCE, LOCAL_ISSUER, scopesOfAccess } from '#lib/auth/scopes.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;

let dataDir: string;
let localAuthorizer: (at?: Date) => JwtAuthorizer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-token-'));
  const { jwks } = await loadLocalSigningKey(dataDir);
  localAuthorizer = (at = NOW) => createJwtAuthorizer({ issuer: LOCAL_ISSUER, audiences: [LOCAL_AUDIENCE], keys: jwks, clock: () => at });
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const mint = (request: Partial<LocalTokenRequest> = {}) =>
  mintLocalToken({ dataDir, sub: 'teacher-1', scopes: ['read'], ttlSeconds: 3600, now: NOW, ...request });

describe('a local token', () => {
  it('is signed with the local key for the local issuer and audience, for its ttl', async () => {
    const token = await mint({ ttlSeconds: 900 });

    const { kid } = await loadLocalSigningKey(dataDir);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid, typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      sub: 'teacher-1',
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 900,
      scope: scopesOfAccess('read').join(' '),
    });
  });

  it('with read opens the GET route and not the POST route', async () => {
    const token = await mint({ scopes: ['read'] });

    const [get, post] = await Promise.all([
      localAuthorizer().authorize(`Bearer ${token}`, canvasScope('getEvents')),
      localAuthorizer().authorize(`Bearer ${token}`, canvasScope('postEvents')),
    ]);

    expect(get.ok).toBe(true);
    expect(post).toMatchObject({ ok: false, statusCode: 403 });
  });

  it('with write opens the POST route and not the GET route', async () => {
    const token = await mint({ scopes: ['write'] });

    const [get, post] = await Promise.all([
      localAuthorizer().authorize(`Bearer ${token}`, canvasScope('getEvents')),
      localAuthorizer().authorize(`Bearer ${token}`, canvasScope('postEvents')),
    ]);

    expect(get).toMatchObject({ ok: false, statusCode: 403 });
    expect(post.ok).toBe(true);
  });

  it('with read and write lists both scopes, space-separated', async () => {
    const token = await mint({ scopes: ['read', 'write', 'read'] });

    expect(decodeJwt(token).scope).toBe([...scopesOfAccess('read'), ...scopesOfAccess('write')].join(' '));
  });

  it('carries the overridden scope strings the local server is configured with', async () => {
    const token = await mint({ scopes: ['read'], scopeOverrides: { read: 'events.read' } });

    expect((await localAuthorizer().authorize(`Bearer ${token}`, 'events.read')).ok).toBe(true);
  });

  it('lists its courses in the course_ids claim, which reaches the handler as the gateway renders a list', async () => {
    const token = await mint({ courseIds: ['11', '12'] });

    const result = await localAuthorizer().authorize(`Bearer ${token}`, canvasScope('getEvents'));

    expect(decodeJwt(token).course_ids).toEqual(['11', '12']);
    expect(result).toMatchObject({ ok: true, jwt: { claims: { course_ids: '[11 12]' } } });
    expect(parseListClaim(result.ok ? (result.jwt.claims['course_ids'] ?? '') : '')).toEqual(['11', '12']);
  });

  it('has no course claim when no courses are given', async () => {
    expect(decodeJwt(await mint())).not.toHaveProperty('course_ids');
  });

  it('puts the courses under a configured claim name', async () => {
    expect(decodeJwt(await mint({ courseIds: ['7'], courseClaim: 'canvas_courses' }))).toHaveProperty('canvas_courses', ['7']);
  });

  it('is refused once its ttl has run out', async () => {
    const token = await mint({ ttlSeconds: 60 });

    const result = await localAuthorizer(new Date((NOW_SECONDS + 60) * 1000)).authorize(`Bearer ${token}`, canvasScope('getEvents'));

    expect(result).toMatchObject({ ok: false, statusCode: 401, reason: 'expired' });
  });

  it.each([
    ['an empty sub', { sub: ' ' }, /sub must not be empty/],
    ['a zero ttl', { ttlSeconds: 0 }, /ttlSeconds must be a positive integer/],
    ['a fractional ttl', { ttlSeconds: 1.5 }, /ttlSeconds must be a positive integer/],
  ])('is not minted with %s', async (_, request, message) => {
    await expect(mint(request)).rejects.toThrow(message);
  });
});
