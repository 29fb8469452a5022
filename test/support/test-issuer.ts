import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWTHeaderParameters, JWTPayload } from 'jose';

export const TEST_ISSUER = 'https://issuer.example.test/';
export const TEST_AUDIENCE = 'quiz-events-api';
export const NOW = new Date('2026-03-01T12:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

export interface TestSigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(kid: string, alg = 'RS256'): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

export function jwksOf(...keys: TestSigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) };
}

/** Claims that pass every check of an authorizer for TEST_ISSUER and TEST_AUDIENCE at NOW. */
export function validClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    sub: 'user-1',
    iat: NOW_SECONDS - 60,
    exp: NOW_SECONDS + 3600,
    ...overrides,
  };
}

/** Signs exactly the given claims; `undefined` values are left out of the token. */
export function sign(key: TestSigningKey, claims: JWTPayload, header: Partial<JWTHeaderParameters> = {}): Promise<string> {
  const present = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  return new SignJWT(present).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** The RS256 key's public half as the HMAC secret: the classic algorithm-confusion forgery. */
export async function signHs256WithPublicKey(key: TestSigningKey, claims: JWTPayload): Promise<string> {
  const secret = new TextEncoder().encode(await exportSPKI(key.publicKey));
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(secret);
}

export function unsecuredToken(claims: JWTPayload, kid: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', kid })}.${encode(claims)}.`;
}

/** The token with one payload claim changed and the original signature kept. */
export function tamperPayload(token: string, changes: JWTPayload): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as JWTPayload;
  const tampered = Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url');
  return `${header}.${tampered}.${signature}`;
}
