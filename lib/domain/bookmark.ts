import { hash } from 'node:crypto';
import * as z from 'zod/mini';
import { EVENT_KEY_PATTERN } from './event-key.ts';
import type { SubmissionRef } from './ids.ts';
import { BadRequestError } from './errors.ts';
import { MAX_ATTEMPT } from './limits.ts';

/**
 * A continuation page is `bookmark:` + base64url(JSON [attempt, last sort key seen, seal]). It holds a
 * position inside one attempt only, and the submission always comes from the path, so no bookmark can
 * lead into another submission. The seal, a digest of the submission and the position, makes a bookmark
 * taken from another submission, or altered by hand, a 400 rather than a silent jump.
 */
export interface Bookmark {
  attempt: number;
  afterKey: string;
}

const PREFIX = 'bookmark:';

const bookmarkSchema = z.tuple([
  z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPT)),
  z.string().check(z.regex(EVENT_KEY_PATTERN)),
  z.string(),
]);

const seal = (submission: SubmissionRef, { attempt, afterKey }: Bookmark): string =>
  hash('sha256', `${submission.courseId}#${submission.quizId}#${submission.submissionId}#${attempt}#${afterKey}`, 'base64url').slice(0, 16);

export const encodeBookmark = (submission: SubmissionRef, bookmark: Bookmark): string =>
  PREFIX +
  Buffer.from(JSON.stringify([bookmark.attempt, bookmark.afterKey, seal(submission, bookmark)])).toString('base64url');

export function decodeBookmark(submission: SubmissionRef, page: string): Bookmark {
  const invalid = new BadRequestError('page is not a bookmark this API issued for this submission', 'page');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(page.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = bookmarkSchema.safeParse(decoded);
  if (!parsed.success) throw invalid;
  const [attempt, afterKey] = parsed.data;
  const bookmark = { attempt, afterKey };
  // Only the exact text issued for this submission is accepted (base64url decoding forgives stray characters).
  if (encodeBookmark(submission, bookmark) !== page) throw invalid;
  return bookmark;
}
