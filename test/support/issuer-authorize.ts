import type { JSONWebKeySet } from 'jose';
import type { DenialReason } from '#lib/auth/gateway-denials.ts';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { routeScopes } from '#lib/auth/scopes.ts';
import type { Authorize } from '#local/server.ts';

/**
 * The local server's authorizer for another issuer's tokens (a test identity provider's), as
 * local/local-authorizer.ts builds it for the local issuer: the gateway's JWT rules, each route
 * requiring its Canvas scope, refusals answered as the gateway answers them.
 */
export interface IssuerAuthorizeOptions {
  issuer: string;
  audience: string;
  keys: JSONWebKeySet;
  /** Told why a request was refused (the client never is). */
  onDenial?: (reason: DenialReason) => void;
}

export function authorizeTokensOf({ issuer, audience, keys, onDenial }: IssuerAuthorizeOptions): Authorize {
  const authorizer = createJwtAuthorizer({ issuer, audiences: [audience], keys });
  const scopes = routeScopes();
  return async (route, headers) => {
    const result = await authorizer.authorize(headers.authorization, scopes[route]);
    if (result.ok) return { jwt: result.jwt };
    onDenial?.(result.reason);
    const { statusCode, headers: refusalHeaders, body } = result;
    return { refusal: { statusCode, headers: refusalHeaders, body } };
  };
}
