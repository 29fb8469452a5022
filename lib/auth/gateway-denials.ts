/**
 * The answers API Gateway's HTTP API JWT authorizer gives instead of invoking the integration.
 * Only the audience failure's `www-authenticate` text is published by AWS; the gateway does not say
 * which other check failed, so neither do we. See docs/notes/jwt-authorizer.md.
 */

export type DenialReason =
  | 'missing-token'
  | 'malformed-token'
  | 'algorithm-not-allowed'
  | 'missing-key-id'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-expiry'
  | 'expired'
  | 'not-yet-valid'
  | 'issued-in-future'
  | 'missing-scope';

/** Every reason the gateway answers 401 for: the token is missing or does not hold. */
export type TokenFailure = Exclude<DenialReason, 'missing-scope'>;

export interface AuthorizerDenial {
  ok: false;
  statusCode: 401 | 403;
  headers: Record<string, string>;
  body: string;
  /** Why, for the local server's log only: the response itself does not tell the client. */
  reason: DenialReason;
}

const UNAUTHORIZED_BODY = JSON.stringify({ message: 'Unauthorized' });
const FORBIDDEN_BODY = JSON.stringify({ message: 'Forbidden' });

const WWW_AUTHENTICATE: Partial<Record<DenialReason, string>> = {
  'missing-token': 'Bearer',
  'wrong-audience': 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
};
const INVALID_TOKEN_CHALLENGE = 'Bearer scope="" error="invalid_token"';

export function unauthorized(reason: TokenFailure): AuthorizerDenial {
  return {
    ok: false,
    statusCode: 401,
    headers: {
      'content-type': 'application/json',
      'www-authenticate': WWW_AUTHENTICATE[reason] ?? INVALID_TOKEN_CHALLENGE,
    },
    body: UNAUTHORIZED_BODY,
    reason,
  };
}

export function forbidden(): AuthorizerDenial {
  return {
    ok: false,
    statusCode: 403,
    headers: { 'content-type': 'application/json' },
    body: FORBIDDEN_BODY,
    reason: 'missing-scope',
  };
}
