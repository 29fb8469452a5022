import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENTS_SCOPES, EVENTS_ROUTE_TEMPLATE, eventsRouteScopes, requiredScopeFor } from '#lib/auth/scopes.ts';

describe('the events route scopes', () => {
  it('are Canvas scope strings by default', () => {
    expect(EVENTS_ROUTE_TEMPLATE).toBe('/api/v1/courses/:course_id/quizzes/:quiz_id/submissions/:id/events');
    expect(DEFAULT_EVENTS_SCOPES).toEqual({
      GET: 'url:GET|/api/v1/courses/:course_id/quizzes/:quiz_id/submissions/:id/events',
      POST: 'url:POST|/api/v1/courses/:course_id/quizzes/:quiz_id/submissions/:id/events',
    });
  });

  it('are taken per method from the defaults when nothing is overridden', () => {
    expect(requiredScopeFor('GET')).toBe(DEFAULT_EVENTS_SCOPES.GET);
    expect(requiredScopeFor('POST', { GET: 'events.read' })).toBe(DEFAULT_EVENTS_SCOPES.POST);
  });

  it('can be overridden per method for an IdP that cannot mint Canvas scopes', () => {
    expect(eventsRouteScopes({ GET: 'events.read', POST: 'events.write' })).toEqual({ GET: 'events.read', POST: 'events.write' });
  });

  it('treat an undefined override as no override, as an unset environment variable reads', () => {
    expect(requiredScopeFor('GET', { GET: undefined })).toBe(DEFAULT_EVENTS_SCOPES.GET);
  });

  it.each(['', '  ', 'events read'])('refuse an override no token could match: %j', (override) => {
    expect(() => requiredScopeFor('POST', { POST: override })).toThrow(/POST scope override/);
  });
});
