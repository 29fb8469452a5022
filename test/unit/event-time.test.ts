import { describe, expect, it } from 'vitest';
import { eventTimeMs, parseClientTimestamp, toIsoMillis } from '#lib/domain/event-time.ts';

const iso = (text: string) => {
  const ms = parseClientTimestamp(text);
  return ms === undefined ? undefined : toIsoMillis(ms);
};

describe('client timestamps', () => {
  it.each([
    ['2014-10-08T19:29:58.123Z', '2014-10-08T19:29:58.123Z'],
    ['2014-10-08T19:29:58Z', '2014-10-08T19:29:58.000Z'],
    ['2014-10-08T19:29Z', '2014-10-08T19:29:00.000Z'],
    ['2014-10-08T19:29:58.123456789Z', '2014-10-08T19:29:58.123Z'],
    ['2014-10-08T19:29:58.1Z', '2014-10-08T19:29:58.100Z'],
    ['2014-10-08t19:29:58z', '2014-10-08T19:29:58.000Z'],
    ['2014-10-08T21:29:58+02:00', '2014-10-08T19:29:58.000Z'],
    ['2014-10-08T14:59:58-0430', '2014-10-08T19:29:58.000Z'],
    ['2014-10-09T00:29:58+05', '2014-10-08T19:29:58.000Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.999Z'],
    ['2016-12-31T23:59:60.5Z', '2016-12-31T23:59:59.999Z'],
    ['2016-02-29T00:00:00Z', '2016-02-29T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    '2014-10-08T19:29:58',
    '2014-10-08 19:29:58Z',
    '2014-10-08',
    '1412796598',
    'yesterday',
    '',
    '2015-02-29T00:00:00Z',
    '2014-13-01T00:00:00Z',
    '2014-10-32T00:00:00Z',
    '2014-10-08T24:00:00Z',
    '2014-10-08T19:60:00Z',
    '2014-10-08T19:29:61Z',
    '2014-10-08T19:29:58+24:00',
    '0000-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    '+012014-10-08T19:29:58Z',
    '2014-10-08T19:29:58.Z',
  ])('refuses %j', (text) => {
    expect(parseClientTimestamp(text)).toBeUndefined();
  });
});

describe('event time', () => {
  const received = Date.parse('2014-10-08T19:30:00.000Z');

  it('is the client time, however far in the past', () => {
    expect(eventTimeMs(Date.parse('1999-01-01T00:00:00Z'), received)).toBe(Date.parse('1999-01-01T00:00:00Z'));
  });

  it('is the client time up to 5 minutes ahead of receipt', () => {
    expect(eventTimeMs(received + 5 * 60_000, received)).toBe(received + 5 * 60_000);
  });

  it('is the receipt time beyond 5 minutes ahead, or without a client time', () => {
    expect(eventTimeMs(received + 5 * 60_000 + 1, received)).toBe(received);
    expect(eventTimeMs(undefined, received)).toBe(received);
  });
});
