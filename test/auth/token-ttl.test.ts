import { describe, expect, it } from 'vitest';
import { parseTtlSeconds } from '#lib/auth/token-ttl.ts';

describe('a token ttl', () => {
  it.each([
    ['90', 90],
    ['30s', 30],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604_800],
  ])('reads %s as %i seconds', (ttl, seconds) => {
    expect(parseTtlSeconds(ttl)).toBe(seconds);
  });

  it.each(['', '0', '0h', '-1h', '1.5h', '1w', 'h', '1 h'])('refuses %j', (ttl) => {
    expect(() => parseTtlSeconds(ttl)).toThrow(/Invalid ttl/);
  });
});
