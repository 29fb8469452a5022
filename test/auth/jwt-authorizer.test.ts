import { createLocalJWKSet, errors } from 'jose';
import type { JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import type { AuthorizationResult, JwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { canvasScope } from '#lib/auth/scopes.ts';
import {
  createSigningKey,
  jwksOf,
  NOW,
  NOW_SECONDS,
  sign,
  signHs256WithPublicKey,
  tamperPayload,
  TEST_AUDIENCE,
  TEST_ISSUER,
  unsecuredToken,
  validClaims,
} from '../support/test-issuer.ts';
import type { TestSigningKey } from '../support/test-issuer.ts';

const GET_SCOPE = canvasScope('getEvents');
const POST_SCOPE = canvasScope('postEvents');

const UNAUTHORIZED = {
  ok: false,
  statusCode: 401,
  headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer scope="" error="invalid_token"' },
  body: '{"message":"Unauthorized"}',
};

let issuerKey: TestSigningKey;
let otherKey: TestSigningKey;
let authorizer: JwtAuthorizer;

beforeAll(async () => {
  [issuerKey, otherKey] = await Promise.all([createSigningKey('issuer-key'), createSigningKey('other-key')]);
  authorizer = createJwtAuthorizer({
    issuer: TEST_ISSUER,
    audiences: [TEST_AUDIENCE, 'second-audience'],
    keys: jwksOf(issuerKey),
    clock: () => NOW,
  });
});

async function authorizeClaims(claims: JWTPayload, requiredScope = GET_SCOPE) {
  return authorizer.authorize(`Bearer ${await sign(issuerKey, claims)}`, requiredScope);
}

function expectRefused(result: AuthorizationResult, reason: string): void {
  expect(result).toEqual({ ...UNAUTHORIZED, reason });
}

describe('a token that holds', () => {
  it('is accepted with its claims and scopes as the gateway passes them on', async () => {
    // Arrange
    const claims = validClaims({ scope: `${GET_SCOPE} ${POST_SCOPE}` });

    // Act
    const result = await authorizeClaims(claims);

    // Assert
    expect(result).toEqual({
      ok: true,
      jwt: {
        claims: {
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          sub: 'user-1',
          iat: String(NOW_SECONDS - 60),
          exp: String(NOW_SECONDS + 3600),
          scope: `${GET_SCOPE} ${POST_SCOPE}`,
        },
        scopes: [GET_SCOPE, POST_SCOPE],
      },
    });
  });

  it('is accepted without the Bearer prefix, as the gateway takes a bare token too', async () => {
    const token = await sign(issuerKey, validClaims({ scope: GET_SCOPE }));

    const result = await authorizer.authorize(token, GET_SCOPE);

    expect(result.ok).toBe(true);
  });

  it('is accepted whatever the case of the Bearer prefix', async () => {
    const token = await sign(issuerKey, validClaims({ scope: GET_SCOPE }));

    const result = await authorizer.authorize(`bearer ${token}`, GET_SCOPE);

    expect(result.ok).toBe(true);
  });

  it('is accepted when signed with RS384 or RS512', async () => {
    const [rs384, rs512] = await Promise.all([createSigningKey('rs384-key', 'RS384'), createSigningKey('rs512-key', 'RS512')]);
    const rsaAuthorizer = createJwtAuthorizer({ issuer: TEST_ISSUER, audiences: [TEST_AUDIENCE], keys: jwksOf(rs384, rs512), clock: () => NOW });

    const results = await Promise.all(
      [rs384, rs512].map(async (key) => rsaAuthorizer.authorize(`Bearer ${await sign(key, validClaims())}`)),
    );

    expect(results.map((result) => result.ok)).toEqual([true, true]);
  });

  it('is verified with keys from a jose key resolver as well as from a key set', async () => {
    const resolverAuthorizer = createJwtAuthorizer({
      issuer: TEST_ISSUER,
      audiences: [TEST_AUDIENCE],
      keys: createLocalJWKSet(jwksOf(otherKey, issuerKey)),
      clock: () => NOW,
    });

    const result = await resolverAuthorizer.authorize(`Bearer ${await sign(issuerKey, validClaims())}`);

    expect(result.ok).toBe(true);
  });

  it('lists no scopes when the route requires none', async () => {
    const token = await sign(issuerKey, validClaims({ scope: GET_SCOPE }));

    const result = await authorizer.authorize(`Bearer ${token}`);

    expect(result).toMatchObject({ ok: true, jwt: { scopes: null } });
  });
});

describe('the Authorization header', () => {
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['a Bearer prefix without a token', 'Bearer '],
  ])('answers 401 with a bare Bearer challenge when %s', async (_, header) => {
    const result = await authorizer.authorize(header, GET_SCOPE);

    expect(result).toEqual({
      ...UNAUTHORIZED,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
      reason: 'missing-token',
    });
  });

  it.each([
    ['not a JWT', 'Bearer not-a-jwt'],
    ['three segments of nothing', 'Bearer a.b.c'],
    ['a header that is not JSON', `Bearer ${Buffer.from('{oops').toString('base64url')}.e30.c2ln`],
    ['a second scheme word', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 when it carries %s', async (_, header) => {
    const result = await authorizer.authorize(header, GET_SCOPE);

    expectRefused(result, 'malformed-token');
  });
});

describe('the signature', () => {
  it('is refused when the token names no key, even though the key set holds only one', async () => {
    const token = await sign(issuerKey, validClaims(), { kid: undefined });

    expectRefused(await authorizer.authorize(`Bearer ${token}`), 'missing-key-id');
  });

  it('is refused when the token names a key the issuer does not publish', async () => {
    const token = await sign(otherKey, validClaims());

    expectRefused(await authorizer.authorize(`Bearer ${token}`), 'unknown-key');
  });

  it('is refused when made by another key under the issuer key id', async () => {
    const token = await sign(otherKey, validClaims(), { kid: issuerKey.kid });

    expectRefused(await authorizer.authorize(`Bearer ${token}`), 'bad-signature');
  });

  it('is refused when the payload was changed after signing', async () => {
    const token = tamperPayload(await sign(issuerKey, validClaims({ scope: GET_SCOPE })), { sub: 'someone-else' });

    expectRefused(await authorizer.authorize(`Bearer ${token}`, GET_SCOPE), 'bad-signature');
  });

  it('is refused when absent (alg none)', async () => {
    const token = unsecuredToken(validClaims({ scope: GET_SCOPE }), issuerKey.kid);

    expectRefused(await authorizer.authorize(`Bearer ${token}`, GET_SCOPE), 'algorithm-not-allowed');
  });

  it('is refused when an HMAC made with the public key as its secret (HS256)', async () => {
    const token = await signHs256WithPublicKey(issuerKey, validClaims({ scope: GET_SCOPE }));

    expectRefused(await authorizer.authorize(`Bearer ${token}`, GET_SCOPE), 'algorithm-not-allowed');
  });

  it('is refused when made with RSASSA-PSS, outside the RS256/RS384/RS512 allow-list', async () => {
    const psKey = await createSigningKey('ps-key', 'PS256');
    const psAuthorizer = createJwtAuthorizer({ issuer: TEST_ISSUER, audiences: [TEST_AUDIENCE], keys: jwksOf(psKey), clock: () => NOW });

    const result = await psAuthorizer.authorize(`Bearer ${await sign(psKey, validClaims())}`);

    expectRefused(result, 'algorithm-not-allowed');
  });

  it('is not checked at all when the key set cannot be read: the failure propagates', async () => {
    const brokenAuthorizer = createJwtAuthorizer({
      issuer: TEST_ISSUER,
      audiences: [TEST_AUDIENCE],
      keys: () => Promise.reject(new errors.JWKSTimeout()),
      clock: () => NOW,
    });

    await expect(brokenAuthorizer.authorize(`Bearer ${await sign(issuerKey, validClaims())}`)).rejects.toBeInstanceOf(errors.JWKSTimeout);
  });
});

describe('the issuer', () => {
  it('is refused when it is another issuer', async () => {
    expectRefused(await authorizeClaims(validClaims({ iss: 'https://elsewhere.example.test/', scope: GET_SCOPE })), 'wrong-issuer');
  });

  it('is compared exactly, so a missing trailing slash is another issuer', async () => {
    expectRefused(await authorizeClaims(validClaims({ iss: TEST_ISSUER.replace(/\/$/, ''), scope: GET_SCOPE })), 'wrong-issuer');
  });

  it('is required', async () => {
    expectRefused(await authorizeClaims(validClaims({ iss: undefined, scope: GET_SCOPE })), 'wrong-issuer');
  });
});

describe('the audience', () => {
  const WRONG_AUDIENCE = {
    ok: false,
    statusCode: 401,
    headers: {
      'content-type': 'application/json',
      'www-authenticate': 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    },
    body: '{"message":"Unauthorized"}',
    reason: 'wrong-audience',
  };

  it('is refused with the documented challenge when aud is not a configured audience', async () => {
    expect(await authorizeClaims(validClaims({ aud: 'another-api', scope: GET_SCOPE }))).toEqual(WRONG_AUDIENCE);
  });

  it('is accepted when one entry of an aud list is a configured audience', async () => {
    const result = await authorizeClaims(validClaims({ aud: ['another-api', 'second-audience'], scope: GET_SCOPE }));

    expect(result).toMatchObject({ ok: true, jwt: { claims: { aud: '[another-api second-audience]' } } });
  });

  it('is read from client_id when the token has no aud', async () => {
    const result = await authorizeClaims(validClaims({ aud: undefined, client_id: TEST_AUDIENCE, scope: GET_SCOPE }));

    expect(result.ok).toBe(true);
  });

  it('ignores client_id when the token has an aud', async () => {
    const result = await authorizeClaims(validClaims({ aud: 'another-api', client_id: TEST_AUDIENCE, scope: GET_SCOPE }));

    expect(result).toEqual(WRONG_AUDIENCE);
  });

  it('is refused when the token has neither aud nor client_id', async () => {
    expect(await authorizeClaims(validClaims({ aud: undefined, scope: GET_SCOPE }))).toEqual(WRONG_AUDIENCE);
  });

  it('is judged before the expiry, in the order the gateway documents', async () => {
    const claims = validClaims({ aud: 'another-api', exp: NOW_SECONDS - 10, scope: GET_SCOPE });

    expect(await authorizeClaims(claims)).toEqual(WRONG_AUDIENCE);
  });
});

describe('the token lifetime', () => {
  it('is refused once exp has passed', async () => {
    expectRefused(await authorizeClaims(validClaims({ exp: NOW_SECONDS - 1, scope: GET_SCOPE })), 'expired');
  });

  it('is refused at the second of exp, which must be after the current time, with no skew allowed', async () => {
    expectRefused(await authorizeClaims(validClaims({ exp: NOW_SECONDS, scope: GET_SCOPE })), 'expired');
  });

  it('is accepted one second before exp', async () => {
    expect((await authorizeClaims(validClaims({ exp: NOW_SECONDS + 1, scope: GET_SCOPE }))).ok).toBe(true);
  });

  it('requires exp', async () => {
    expectRefused(await authorizeClaims(validClaims({ exp: undefined, scope: GET_SCOPE })), 'missing-expiry');
  });

  it('is refused before nbf', async () => {
    expectRefused(await authorizeClaims(validClaims({ nbf: NOW_SECONDS + 1, scope: GET_SCOPE })), 'not-yet-valid');
  });

  it('is accepted from the second of nbf', async () => {
    expect((await authorizeClaims(validClaims({ nbf: NOW_SECONDS, scope: GET_SCOPE }))).ok).toBe(true);
  });

  it('is refused when issued in the future (iat)', async () => {
    expectRefused(await authorizeClaims(validClaims({ iat: NOW_SECONDS + 1, scope: GET_SCOPE })), 'issued-in-future');
  });

  it('is refused when iat is not a number', async () => {
    expectRefused(await authorizeClaims(validClaims({ iat: 'yesterday' as unknown as number, scope: GET_SCOPE })), 'malformed-token');
  });

  it('follows the injected clock', async () => {
    const token = await sign(issuerKey, validClaims({ scope: GET_SCOPE }));
    const later = createJwtAuthorizer({
      issuer: TEST_ISSUER,
      audiences: [TEST_AUDIENCE],
      keys: jwksOf(issuerKey),
      clock: () => new Date((NOW_SECONDS + 3600) * 1000),
    });

    expectRefused(await later.authorize(`Bearer ${token}`, GET_SCOPE), 'expired');
  });
});

describe('the route scope', () => {
  const FORBIDDEN = {
    ok: false,
    statusCode: 403,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Forbidden"}',
    reason: 'missing-scope',
  };

  it('answers 403 Forbidden when a valid token lacks it', async () => {
    expect(await authorizeClaims(validClaims({ scope: POST_SCOPE }), GET_SCOPE)).toEqual(FORBIDDEN);
  });

  it('answers 403 Forbidden when a valid token carries no scope at all', async () => {
    expect(await authorizeClaims(validClaims(), GET_SCOPE)).toEqual(FORBIDDEN);
  });

  it('matches whole scopes only, not a scope that merely contains it', async () => {
    const result = await authorizeClaims(validClaims({ scope: `${GET_SCOPE}/extra x${GET_SCOPE}` }), GET_SCOPE);

    expect(result).toEqual(FORBIDDEN);
  });

  it('is found in an scp list', async () => {
    const result = await authorizeClaims(validClaims({ scp: [POST_SCOPE, GET_SCOPE] }), GET_SCOPE);

    expect(result).toMatchObject({ ok: true, jwt: { scopes: [POST_SCOPE, GET_SCOPE], claims: { scp: `[${POST_SCOPE} ${GET_SCOPE}]` } } });
  });

  it('is found in a space-separated scp string', async () => {
    const result = await authorizeClaims(validClaims({ scp: `${POST_SCOPE} ${GET_SCOPE}` }), GET_SCOPE);

    expect(result).toMatchObject({ ok: true, jwt: { scopes: [POST_SCOPE, GET_SCOPE] } });
  });

  it('is not checked before the token itself: an invalid token without the scope is 401, not 403', async () => {
    expectRefused(await authorizeClaims(validClaims({ exp: NOW_SECONDS - 1 }), GET_SCOPE), 'expired');
  });
});
