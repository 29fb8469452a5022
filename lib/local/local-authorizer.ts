import type { JSONWebKeySet } from 'jose';
import type { DenialReason } from '#lib/auth/gateway-denials.ts';
import { createJwtAuthorizer } from '#lib/auth/jwt-authorizer.ts';
import { loadLocalSigningKey } from '#lib/auth/local-keys.ts';
import { eventsRouteScopes, LOCAL_AUDIENCE, LOCAL_ISSUER } from '#lib/auth/scopes.ts';
import type { EventsScopeOverrides } from '#lib/auth/scopes.ts';
import type { EventsMethod } from '#lib/routes.ts';
import type { Authorize } from './server.ts';

export interface LocalAuthorizeOptions {
  /** The local issuer's public keys (`loadLocalSigningKey(dataDir).jwks`). */
  keys: JSONWebKeySet;
  /** The same overrides the stack's routes use (WRITE_SCOPE, READ_SCOPE). */
  scopeOverrides?: EventsScopeOverrides;
  /** Told why a request was refused; the client never is, as with the gateway. */
  onDenial?: (method: EventsMethod, reason: DenialReason) => void;
  clock?: () => Date;
}

/**
 * The local server's stand-in for the HTTP API's JWT authorizer: the same rules (lib/auth) for the
 * fixed local issuer and audience, each route requiring its scope, refusals answered as the gateway does.
 */
function createLocalAuthorize({ keys, scopeOverrides, onDenial, clock }: LocalAuthorizeOptions): Authorize {
  const authorizer = createJwtAuthorizer({ issuer: LOCAL_ISSUER, audiences: [LOCAL_AUDIENCE], keys, ...(clock && { clock }) });
  const routeScopes = eventsRouteScopes(scopeOverrides);
  return async (method, headers) => {
    const result = await authorizer.authorize(headers.authorization, routeScopes[method]);
    if (result.ok) return { jwt: result.jwt };
    onDenial?.(method, result.reason);
    const { statusCode, headers: refusalHeaders, body } = result;
    return { refusal: { statusCode, headers: refusalHeaders, body } };
  };
}

/** The local authorizer over the key pair in `dataDir`, which is created on first use. */
export async function loadLocalAuthorize(dataDir: string, options: Omit<LocalAuthorizeOptions, 'keys'> = {}): Promise<Authorize> {
  const { jwks } = await loadLocalSigningKey(dataDir);
  return createLocalAuthorize({ ...options, keys: jwks });
}
