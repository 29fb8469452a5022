import type { JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { renderGatewayClaims } from '#lib/auth/gateway-claims.ts';
import documentedEvent from '../support/fixtures/apigw-v2-jwt-event.json' with { type: 'json' };
import recordedContext from '../support/fixtures/apigw-v2-jwt-claims-recorded.json' with { type: 'json' };
import { createSigningKey, jwksOf, NOW, NOW_SECONDS, sign, TEST_AUDIENCE, TEST_ISSUER } from '../support/test-issuer.ts';
import type { TestSigningKey } from '../support/test-issuer.ts';

let key: TestSigningKey;

beforeAll(async () => {
  key = await createSigningKey('claims-key');
});

describe('claims as a payload 2.0 integration receives them', () => {
  it('have the shape of the documented example event: claims by name, the token scopes as a list', async () => {
    // Arrange: the documented claims, plus the ones every accepted token must carry
    const documented = documentedEvent.requestContext.authorizer.jwt;
    const required = { iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: NOW_SECONDS + 600 };
    const token = await sign(key, { ...documented.claims, ...required, scope: documented.scopes.join(' ') });
    const authorizer = createJwtAuthorizer({ issuer: TEST_ISSUER, audiences: [TEST_AUDIENCE], keys: jwksOf(key), clock: () => NOW });

    // Act
    const result = await authorizer.authorize(`Bearer ${token}`, 'scope1');

    // Assert
    expect(result).toEqual({
      ok: true,
      jwt: {
        claims: {
          ...documented.claims,
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          exp: String(NOW_SECONDS + 600),
          scope: 'scope1 scope2',
        },
        scopes: documented.scopes,
      },
    });
  });

  it('match a recorded event: numbers as decimal strings, client_id as the audience, no scopes on an unscoped route', async () => {
    // Arrange: a token with the recorded claims, each as its issuer signs it
    const recorded = recordedContext.jwt;
    const { auth_time, exp, iat, ...textClaims } = recorded.claims;
    const payload: JWTPayload = { ...textClaims, auth_time: Number(auth_time), exp: Number(exp), iat: Number(iat) };
    const authorizer = createJwtAuthorizer({
      issuer: recorded.claims.iss,
      audiences: [recorded.claims.client_id],
      keys: jwksOf(key),
      clock: () => new Date(Number(recorded.claims.iat) * 1000),
    });

    // Act
    const result = await authorizer.authorize(`Bearer ${await sign(key, payload)}`);

    // Assert
    expect(result).toEqual({ ok: true, jwt: recorded });
  });
});

describe('rendering one claim value', () => {
  it('prints a list Go-style, space-separated in brackets', () => {
    // As observed from the gateway: https://github.com/aws/aws-lambda-go/issues/591
    const claims = renderGatewayClaims({ 'cognito:groups': ['Admin', 'Merchant', 'Remarketer'] });

    expect(claims).toEqual({ 'cognito:groups': '[Admin Merchant Remarketer]' });
  });

  it('prints numbers and booleans, and a list of them, as text', () => {
    const claims = renderGatewayClaims({ exp: 1787996002, ratio: 0.5, email_verified: true, course_ids: [11, 12], empty: [] });

    expect(claims).toEqual({ exp: '1787996002', ratio: '0.5', email_verified: 'true', course_ids: '[11 12]', empty: '[]' });
  });

  it('leaves a null claim out', () => {
    expect(renderGatewayClaims({ sub: 'user-1', nickname: null })).toEqual({ sub: 'user-1' });
  });

  it('prints a nested object as its JSON text', () => {
    expect(renderGatewayClaims({ address: { country: 'NZ' } })).toEqual({ address: '{"country":"NZ"}' });
  });
});
