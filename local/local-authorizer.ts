import type { JSONWebKeySet } from 'jose';
import type { DenialReason } from '#lib/auth/gateway-denials.ts';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, routeScopes, type ScopeOverrides } from '#lib/auth/scopes.ts';
import type { RouteId } from '#lib/routes.ts';
import type { Authorize } from './server.ts';

export interface LocalAuthorizeOptions {
  /** The local issuer's public keys (`loadLocalSigningKey(dataDir).jwks`). */
  keys: JSONWebKeySet;
  /** The same overrides the stack's routes use (WRITE_SCOPE, READ_SCOPE). */
  scopeOverrides?: ScopeOverrides;
  /** Told why a request was refused; the client never is, as with the gateway. */
  onDenial?: (route: RouteId, reason: DenialReason) => void;
  clock?: () => Date;
}

/**
 * The local server's stand-in for the HTTP API's JWT authorizer: the same rules (lib/auth) for the
 * fixed local issuer and audience, each route requiring its scope, refusals answered as the gateway does.
 */
function createLocalAuthorize({ keys, scopeOverrides, onDenial, clock }: LocalAuthorizeOptions): Authorize {
  const authorizer = createJwtAuthorizer({ issuer: LOCAL_ISSUER, audiences: [LOCAL_AUDIENCE], keys, ...(clock && { clock }) });
  const scopes = routeScopes(scopeOverrides);
  return async (route, headers) => {
    const result = await authorizer.authorize(headers.authorization, scopes[route]);
    if (result.ok) return { jwt: result.jwt };
    onDenial?.(route, result.reason);
    const { statusCode, headers: refusalHeaders, body } = result;
    return { refusal: { statusCode, headers: refusalHeaders, body } };
  };
}

/** The local authorizer over the key pair in `dataDir`, which is created on first use. */
export async function loadLocalAuthorize(dataDir: string, options: Omit<LocalAuthorizeOptions, 'keys'> = {}): Promise<Authorize> {
  const { jwks } = await loadLocalSigningKey(dataDir);
  return createLocalAuthorize({ ...options, keys: jwks });
}
