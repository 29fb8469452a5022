import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyGetKey } from 'jose';
import { forbidden, unauthorized } from '#lib/auth/gateway-denials.ts';
import type { AuthorizerDenial, TokenFailure } from '#lib/auth/gateway-denials.ts';
import { renderGatewayClaims, tokenScopes } from '#lib/auth/gateway-claims.ts';

/** The gateway verifies RSA signatures only. */
const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

export interface JwtAuthorizerOptions {
  /** Compared exactly with the token's `iss`. */
  issuer: string;
  /** The token's `aud`, or its `client_id` when it has no `aud`, must be one of these. */
  audiences: readonly string[];
  /** The issuer's public keys, or a jose resolver of them (e.g. `createRemoteJWKSet`). */
  keys: JSONWebKeySet | JWTVerifyGetKey;
  clock?: () => Date;
}

/** `requestContext.authorizer.jwt` of an API Gateway payload 2.0 event. */
export interface GatewayJwt {
  claims: Record<string, string>;
  scopes: string[] | null;
}

export type AuthorizationResult = { ok: true; jwt: GatewayJwt } | AuthorizerDenial;

export interface JwtAuthorizer {
  /**
   * Decides as API Gateway's JWT authorizer would for a route that requires `requiredScope`
   * (no scope check when it is undefined). Rejects only if the key resolver itself fails.
   */
  authorize(authorizationHeader: string | undefined, requiredScope?: string): Promise<AuthorizationResult>;
}

class MissingKeyIdError extends Error {}

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

export function createJwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizer {
  const { issuer, audiences, clock = () => new Date() } = options;
  const resolveKey = typeof options.keys === 'function' ? options.keys : createLocalJWKSet(options.keys);
  // jose would pick the only key of a set for a token without `kid`; the gateway requires the `kid`.
  const resolveKeyById: JWTVerifyGetKey = (header, token) => {
    if (typeof header.kid !== 'string') throw new MissingKeyIdError();
    return resolveKey(header, token);
  };
  const audienceMatches = (payload: JWTPayload): boolean => {
    // The gateway reads `client_id` only when the token has no `aud` at all.
    const claimed = 'aud' in payload ? payload.aud : payload['client_id'];
    const candidates = Array.isArray(claimed) ? claimed : [claimed];
    return candidates.some((candidate) => typeof candidate === 'string' && audiences.includes(candidate));
  };
  // Re-derived from the claims so that reasons follow the gateway's documented order: iss, aud, exp, nbf, iat.
  const claimFailureReason = (error: errors.JWTClaimValidationFailed | errors.JWTExpired): TokenFailure => {
    if (error.payload.iss !== issuer) return 'wrong-issuer';
    if (!audienceMatches(error.payload)) return 'wrong-audience';
    if (error.claim === 'exp') return error.reason === 'missing' ? 'missing-expiry' : 'expired';
    if (error.claim === 'nbf') return 'not-yet-valid';
    return 'malformed-token';
  };

  return {
    async authorize(authorizationHeader, requiredScope) {
      const token = bearerToken(authorizationHeader);
      if (token === undefined) return unauthorized('missing-token');

      const now = clock();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, resolveKeyById, {
          algorithms: ALLOWED_ALGORITHMS,
          issuer,
          requiredClaims: ['exp'],
          currentDate: now,
        }));
      } catch (error) {
        if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
          return unauthorized(claimFailureReason(error));
        }
        return unauthorized(verificationFailureReason(error));
      }

      if (!audienceMatches(payload)) return unauthorized('wrong-audience');
      // JSON reads 1e400 as Infinity, which jose accepts as a number: such an `exp` would never pass.
      if (TIME_CLAIMS.some((claim) => claim in payload && !Number.isFinite(payload[claim]))) return unauthorized('malformed-token');
      if (typeof payload.iat === 'number' && payload.iat > Math.floor(now.getTime() / 1000)) {
        return unauthorized('issued-in-future');
      }

      const scopes = tokenScopes(payload);
      if (requiredScope === undefined) return { ok: true, jwt: { claims: renderGatewayClaims(payload), scopes: null } };
      if (!scopes?.includes(requiredScope)) return forbidden();
      return { ok: true, jwt: { claims: renderGatewayClaims(payload), scopes } };
    },
  };
}

/** The gateway takes the identity source as the bare token or the token after `Bearer `. */
function bearerToken(authorizationHeader: string | undefined): string | undefined {
  const value = authorizationHeader?.trim() ?? '';
  const prefixed = /^bearer(?:\s+(.*))?$/is.exec(value);
  const token = prefixed ? (prefixed[1] ?? '') : value;
  return token === '' ? undefined : token;
}

function verificationFailureReason(error: unknown): TokenFailure {
  if (error instanceof MissingKeyIdError) return 'missing-key-id';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm-not-allowed';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown-key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  // A key set that cannot be fetched is an outage, not a bad token.
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw error;
  return 'malformed-token';
}
