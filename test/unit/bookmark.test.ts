import { describe, expect, it } from 'vitest';
import { decodeBookmark, encodeBookmark } from '#lib/domain/bookmark.ts';
import { BadRequestError } from '#lib/domain/errors.ts';

const submission = { courseId: '1', quizId: '2', submissionId: '3' };
const bookmark = { attempt: 3, afterKey: '2014-10-08T19:29:58.123Z#abcdefghijklmnopqrstuv' };

describe('bookmarks', () => {
  it('round-trips the position and attempt', () => {
    const page = encodeBookmark(submission, bookmark);
    expect(page).toMatch(/^bookmark:[A-Za-z0-9_-]+$/);
    expect(decodeBookmark(submission, page)).toEqual(bookmark);
  });

  it.each([
    ['a changed last character', (page: string) => `${page.slice(0, -1)}${page.endsWith('A') ? 'B' : 'A'}`],
    ['an extra character', (page: string) => `${page}A`],
    ['a missing character', (page: string) => page.slice(0, -1)],
    ['a foreign payload', () => `bookmark:${Buffer.from('{"pk":"course#9"}').toString('base64url')}`],
    ['a bookmark of another submission', () => encodeBookmark({ ...submission, submissionId: '4' }, bookmark)],
    ['a well-formed bookmark without its seal', () => `bookmark:${Buffer.from(JSON.stringify([3, bookmark.afterKey])).toString('base64url')}`],
    ['a partition key in place of the sort key', () => `bookmark:${Buffer.from('[3,"course#1#quiz#2#submission#3"]').toString('base64url')}`],
  ])('refuses %s', (_, damage) => {
    expect(() => decodeBookmark(submission, damage(encodeBookmark(submission, bookmark)))).toThrow(BadRequestError);
  });
});
