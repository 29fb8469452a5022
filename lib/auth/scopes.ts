import { accessOf, canvasPathTemplate, ROUTE_IDS, ROUTES, type RouteId, type TableAccess } from '#lib/routes.ts';

/** Canvas's own scope string for a route: `url:<METHOD>|<route template>`. */
export const canvasScope = (id: RouteId): string => `url:${ROUTES[id].method}|${canvasPathTemplate(id)}`;

/**
 * Scopes an operator configures instead of Canvas's, for an IdP that cannot mint those exact strings:
 * `read` replaces the scope of every reader route, `write` the writer's.
 */
export type ScopeOverrides = Partial<Record<TableAccess, string | undefined>>;

/** An override as given, if it could ever match a token; throws otherwise. */
export function validScopeOverride(access: TableAccess, override: string): string {
  // The gateway compares scopes as whitespace-separated tokens, so a blank or spaced scope could never match.
  if (!/^\S+$/.test(override)) {
    throw new Error(`The ${access} scope override must be one non-empty token without whitespace, got ${JSON.stringify(override)}`);
  }
  return override;
}

/** The scope a route requires: Canvas's, unless its access has an override. */
export function routeScope(id: RouteId, overrides: ScopeOverrides = {}): string {
  const override = overrides[accessOf(id)];
  return override === undefined ? canvasScope(id) : validScopeOverride(accessOf(id), override);
}

export function routeScopes(overrides: ScopeOverrides = {}): Record<RouteId, string> {
  return Object.fromEntries(ROUTE_IDS.map((id) => [id, routeScope(id, overrides)])) as Record<RouteId, string>;
}

/** Every scope of one access: what `read` or `write` grants in a local token. */
export const scopesOfAccess = (access: TableAccess, overrides: ScopeOverrides = {}): string[] => [
  ...new Set(ROUTE_IDS.filter((id) => accessOf(id) === access).map((id) => routeScope(id, overrides))),
];

/**
 * The issuer and audience of the tokens the local server mints and accepts. Fixed, documented values:
 * nothing is served at the issuer URL, the local verifier reads the key from the data directory.
 */
export const LOCAL_ISSUER = 'http://127.0.0.1/local-issuer';
export const LOCAL_AUDIENCE = 'quiz-submission-events-local';
