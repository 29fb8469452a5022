import { describe, expect, it } from 'vitest';
import { canvasScope, routeScope, routeScopes, scopesOfAccess } from '#lib/auth/scopes.ts';
import { ROUTE_IDS, ROUTES } from '#lib/routes.ts';

describe('route scopes', () => {
  it("are Canvas's scope strings by default: url:<METHOD>|<path with :params>", () => {
    expect(canvasScope('postEvents')).toBe('url:POST|/api/v1/courses/:course_id/quizzes/:quiz_id/submissions/:id/events');
    expect(canvasScope('getEvents')).toBe('url:GET|/api/v1/courses/:course_id/quizzes/:quiz_id/submissions/:id/events');
    expect(routeScopes()).toEqual(Object.fromEntries(ROUTE_IDS.map((id) => [id, canvasScope(id)])));
  });

  it('give every route a scope of its own', () => {
    expect(new Set(Object.values(routeScopes())).size).toBe(ROUTE_IDS.length);
  });

  it('are overridden per access: read for every reader route, write for the writer', () => {
    const scopes = routeScopes({ read: 'events.read', write: 'events.write' });
    for (const id of ROUTE_IDS) expect(scopes[id]).toBe(ROUTES[id].servedBy === 'writer' ? 'events.write' : 'events.read');
    expect(routeScope('postEvents', { read: 'events.read' })).toBe(canvasScope('postEvents'));
  });

  it('treat an undefined override as no override, as an unset environment variable reads', () => {
    expect(routeScope('getEvents', { read: undefined })).toBe(canvasScope('getEvents'));
  });

  it('of one access are what a local token with that access carries', () => {
    expect(scopesOfAccess('write')).toEqual([canvasScope('postEvents')]);
    expect(scopesOfAccess('read')).toEqual(ROUTE_IDS.filter((id) => ROUTES[id].method === 'GET').map(canvasScope));
    expect(scopesOfAccess('read', { read: 'events.read' })).toEqual(['events.read']);
  });

  it.each(['', '  ', 'events read'])('refuse an override no token could match: %j', (override) => {
    expect(() => routeScope('postEvents', { write: override })).toThrow(/write scope override/);
  });
});
