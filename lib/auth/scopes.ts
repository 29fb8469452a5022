import { EVENTS_PATH, type EventsMethod } from '#lib/routes.ts';

/** The events route as Canvas writes it in its scope strings: /api/v1/courses/:course_id/…/events. */
export const EVENTS_ROUTE_TEMPLATE = EVENTS_PATH.replace(/\{(\w+)\}/g, ':$1');

export type EventsRouteMethod = EventsMethod;

/** Canvas's own scope strings: `url:<METHOD>|<route template>`. */
export const DEFAULT_EVENTS_SCOPES: Readonly<Record<EventsRouteMethod, string>> = {
  GET: `url:GET|${EVENTS_ROUTE_TEMPLATE}`,
  POST: `url:POST|${EVENTS_ROUTE_TEMPLATE}`,
};

/** Scopes an operator configures instead of Canvas's, for an IdP that cannot mint those exact strings. */
export type EventsScopeOverrides = Partial<Record<EventsRouteMethod, string | undefined>>;

export function requiredScopeFor(method: EventsRouteMethod, overrides: EventsScopeOverrides = {}): string {
  const override = overrides[method];
  if (override === undefined) return DEFAULT_EVENTS_SCOPES[method];
  // The gateway compares scopes as whitespace-separated tokens, so a blank or spaced scope could never match.
  if (!/^\S+$/.test(override)) {
    throw new Error(`The ${method} scope override must be one non-empty token without whitespace, got ${JSON.stringify(override)}`);
  }
  return override;
}

export function eventsRouteScopes(overrides: EventsScopeOverrides = {}): Record<EventsRouteMethod, string> {
  return { GET: requiredScopeFor('GET', overrides), POST: requiredScopeFor('POST', overrides) };
}

/**
 * The issuer and audience of the tokens the local server mints and accepts. Fixed, documented values:
 * nothing is served at the issuer URL, the local verifier reads the key from the data directory.
 */
export const LOCAL_ISSUER = 'http://127.0.0.1/local-issuer';
export const LOCAL_AUDIENCE = 'quiz-submission-events-local';
