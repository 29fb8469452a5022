import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { decodeBookmark, encodeBookmark } from '#lib/domain/bookmark.ts';
import { BadRequestError } from '#lib/domain/errors.ts';

const context = 'events ["1","2","3"] [[],null,null]';
const schema = z.tuple([z.int(), z.string()]);
const position = [3, '2014-10-08T19:29:58.123Z#abcdefghijklmnopqrstuv'] as const;

describe('bookmarks', () => {
  it('round-trip the position they hold', () => {
    const page = encodeBookmark(context, position);
    expect(page).toMatch(/^bookmark:[A-Za-z0-9_-]+$/);
    expect(decodeBookmark(context, page, schema)).toEqual(position);
  });

  it.each([
    ['a changed last character', (page: string) => `${page.slice(0, -1)}${page.endsWith('A') ? 'B' : 'A'}`],
    ['an extra character', (page: string) => `${page}A`],
    ['a missing character', (page: string) => page.slice(0, -1)],
    ['a foreign payload', () => `bookmark:${Buffer.from('{"pk":"course#9"}').toString('base64url')}`],
    ['a bookmark of another context (submission, filters)', () => encodeBookmark('events ["1","2","4"] [[],null,null]', position)],
    ['a well-formed position without its checksum', () => `bookmark:${Buffer.from(JSON.stringify(position)).toString('base64url')}`],
    ['a position of another shape', () => encodeBookmark(context, ['3', position[1]])],
  ])('refuse %s with a 400', (_, damage) => {
    expect(() => decodeBookmark(context, damage(encodeBookmark(context, position)), schema)).toThrow(BadRequestError);
  });
});
