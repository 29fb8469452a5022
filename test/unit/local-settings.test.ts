import { describe, expect, it } from 'vitest';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { parseAllowedOrigins } from '#lib/cors.ts';
import { loadLocalSettings } from '#local/local-settings.ts';

describe('the local server\'s settings', () => {
  it('default to port 3000 on loopback, .data, Canvas\'s scopes, no CORS and the course_ids claim', () => {
    expect(loadLocalSettings({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '.data',
      scopeOverrides: { POST: undefined, GET: undefined },
      allowedOrigins: [],
      courseClaim: DEFAULT_COURSE_CLAIM,
    });
  });

  it('read WRITE_SCOPE, READ_SCOPE, ALLOWED_ORIGINS and COURSE_CLAIM from the environment', () => {
    const settings = loadLocalSettings({
      PORT: '0',
      WRITE_SCOPE: 'events.write',
      READ_SCOPE: 'events.read',
      ALLOWED_ORIGINS: 'https://canvas.example.edu, http://localhost:5173/',
      COURSE_CLAIM: 'courses',
    });
    expect(settings).toMatchObject({
      port: 0,
      scopeOverrides: { write: 'events.write', read: 'events.read' },
      allowedOrigins: ['https://canvas.example.edu', 'http://localhost:5173'],
      courseClaim: 'courses',
    });
  });

  it('read an empty variable as unset', () => {
    expect(loadLocalSettings({ WRITE_SCOPE: '', DATA_DIR: '', ALLOWED_ORIGINS: '' })).toMatchObject({
      dataDir: '.data',
      scopeOverrides: { write: undefined },
      allowedOrigins: [],
    });
  });

  it.each([
    [{ PORT: 'http' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ WRITE_SCOPE: 'events write' }, /WRITE_SCOPE: The write scope override/],
    [{ READ_SCOPE: '  ' }, /READ_SCOPE: The read scope override/],
    [{ ALLOWED_ORIGINS: '*' }, /ALLOWED_ORIGINS/],
  ])('fail fast, naming the variable, on %j', (environment, message) => {
    expect(() => loadLocalSettings(environment)).toThrow(message);
  });
});

describe('allowed origins', () => {
  it('are exact origins, a trailing slash dropped and repeats removed', () => {
    expect(parseAllowedOrigins(' https://a.example.edu ,https://a.example.edu/,http://localhost:8080')).toEqual([
      'https://a.example.edu',
      'http://localhost:8080',
    ]);
    expect(parseAllowedOrigins(undefined)).toEqual([]);
  });

  it.each(['*', 'https://*', 'https://*.example.edu', 'https://a.example.edu/path', 'ftp://a.example.edu', 'a.example.edu', 'https://A.example.edu'])(
    'refuse %j: no wildcard, path, other scheme or unnormalised host',
    (origin) => {
      expect(() => parseAllowedOrigins(origin)).toThrow(/is not an origin/);
    },
  );
});
