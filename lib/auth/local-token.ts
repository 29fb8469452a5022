import { SignJWT } from 'jose';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { loadLocalSigningKey, LOCAL_SIGNING_ALGORITHM } from '#lib/auth/local-keys.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type ScopeOverrides, scopesOfAccess } from '#lib/auth/scopes.ts';
import type { TableAccess } from '#lib/routes.ts';

/** `read` grants every reader (GET) route's scope, `write` the writer's. */
export type LocalTokenScope = TableAccess;

export interface LocalTokenRequest {
  /** Where the local key pair lives (created on first use). */
  dataDir: string;
  sub: string;
  scopes: readonly LocalTokenScope[];
  /** The courses the token reaches ('*': every course); absent, it reaches none. */
  courseIds?: readonly string[];
  /** More claims, e.g. the submissions a writer may write. */
  extraClaims?: Record<string, unknown>;
  ttlSeconds: number;
  /** The same overrides the local server verifies with. */
  scopeOverrides?: ScopeOverrides;
  courseClaim?: string;
  now?: Date;
}

/** A token the local server accepts: signed with the local key, for the local issuer and audience. */
export async function mintLocalToken(request: LocalTokenRequest): Promise<string> {
  const { dataDir, sub, scopes, courseIds, extraClaims, ttlSeconds, scopeOverrides, courseClaim = DEFAULT_COURSE_CLAIM, now = new Date() } = request;
  if (sub.trim() === '') throw new Error('sub must not be empty');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);

  const { kid, privateKey } = await loadLocalSigningKey(dataDir);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const scopeStrings = [...new Set(scopes.flatMap((scope) => scopesOfAccess(scope, scopeOverrides)))];

  return new SignJWT({
    ...extraClaims,
    ...(scopeStrings.length > 0 && { scope: scopeStrings.join(' ') }),
    ...(courseIds !== undefined && { [courseClaim]: [...courseIds] }),
  })
    .setProtectedHeader({ alg: LOCAL_SIGNING_ALGORITHM, kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(privateKey);
}
