import type { JSONWebKeySet } from 'jose';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, routeScopes, type ScopeOverrides } from '#lib/auth/scopes.ts';
import type { Authorize } from './server.ts';

export interface LocalAuthorizeOptions {
  /** The local issuer's public keys (`loadLocalSigningKey(dataDir).jwks`). */
  keys: JSONWebKeySet;
  /** The same overrides the stack's routes use (WRITE_SCOPE, READ_SCOPE). */
  scopeOverrides?: ScopeOverrides;
}

/**
 * The local server's stand-in for the HTTP API's JWT authorizer: the same rules (lib/auth) for the
 * fixed local issuer and audience, each route requiring its scope, refusals answered as the gateway does.
 */
function createLocalAuthorize({ keys, scopeOverrides }: LocalAuthorizeOptions): Authorize {
  const authorizer = createJwtAuthorizer({ issuer: LOCAL_ISSUER, audiences: [LOCAL_AUDIENCE], keys });
  const scopes = routeScopes(scopeOverrides);
  return async (route, headers) => {
    const result = await authorizer.authorize(headers.authorization, scopes[route]);
    if (result.ok) return { jwt: result.jwt };
    const { statusCode, headers: refusalHeaders, body, reason } = result;
    // The reason is for the server's own output: the client never sees it, as with the gateway.
    return { refusal: { statusCode, headers: refusalHeaders, body }, reason };
  };
}

/** The local authorizer over the key pair in `dataDir`, which is created on first use. */
export async function loadLocalAuthorize(dataDir: string, options: Omit<LocalAuthorizeOptions, 'keys'> = {}): Promise<Authorize> {
  const { jwks } = await loadLocalSigningKey(dataDir);
  return createLocalAuthorize({ ...options, keys: jwks });
}
