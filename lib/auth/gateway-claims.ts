import type { JWTPayload } from 'jose';

/**
 * A verified token's claims the way API Gateway's JWT authorizer hands them to a payload 2.0
 * integration (`requestContext.authorizer.jwt.claims`): every value a string, numbers and booleans
 * printed, a list printed Go-style as "[a b]", a null claim left out. See docs/notes/jwt-authorizer.md.
 */
export function renderGatewayClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    claims[name] = renderClaimValue(value);
  }
  return claims;
}

function renderClaimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderClaimValue).join(' ')}]`;
  return JSON.stringify(value);
}

/**
 * The token's scopes as the gateway lists them in `requestContext.authorizer.jwt.scopes`: from `scp`
 * (a list or a space-separated string) when present, otherwise from the space-separated `scope`.
 * Null when the token carries neither.
 */
export function tokenScopes(payload: JWTPayload): string[] | null {
  const scopes = payload['scp'] ?? payload['scope'];
  if (typeof scopes === 'string') return scopes.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(scopes)) return scopes.filter((scope): scope is string => typeof scope === 'string');
  return null;
}
