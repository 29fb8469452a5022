import * as z from 'zod/mini';
import { EVENT_SORT_KEY_PATTERN } from '#lib/store/table.ts';
import { BadRequestError } from './errors.ts';
import { MAX_ATTEMPT } from './limits.ts';

/**
 * A continuation page is `bookmark:` + base64url(JSON [attempt, last sort key seen]). It holds a
 * position inside one attempt only; the submission always comes from the path, so no bookmark can
 * lead into another submission.
 */
export interface Bookmark {
  attempt: number;
  afterSortKey: string;
}

const PREFIX = 'bookmark:';

const bookmarkSchema = z.tuple([z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPT)), z.string().check(z.regex(EVENT_SORT_KEY_PATTERN))]);

export const encodeBookmark = ({ attempt, afterSortKey }: Bookmark): string =>
  PREFIX + Buffer.from(JSON.stringify([attempt, afterSortKey])).toString('base64url');

export function decodeBookmark(page: string): Bookmark {
  const invalid = new BadRequestError('page is not a bookmark this API issued', 'page');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(page.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = bookmarkSchema.safeParse(decoded);
  if (!parsed.success) throw invalid;
  const [attempt, afterSortKey] = parsed.data;
  const bookmark = { attempt, afterSortKey };
  // base64url decoding forgives stray characters; only the exact text we issued is accepted.
  if (encodeBookmark(bookmark) !== page) throw invalid;
  return bookmark;
}
