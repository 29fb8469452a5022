import { hash } from 'node:crypto';
import * as z from 'zod/mini';
import { BadRequestError } from './errors.ts';
import { MAX_ATTEMPT } from './limits.ts';

/**
 * A continuation page is `bookmark:` + base64url(JSON [...position, checksum]). It holds a position
 * and nothing else: the path says which course, quiz and submission, and the route checks the token
 * against the path, so a bookmark carries no authority. The checksum is an unkeyed digest of the
 * position and of its context (route, path ids, filters): anyone can compute one, so it is no
 * signature. It only makes a bookmark that was damaged, or taken from another submission or another
 * set of filters, a 400 rather than a silent jump; positions are still checked on their own.
 */
const PREFIX = 'bookmark:';

type Position = readonly (string | number | null)[];

/** An attempt number in a bookmark's position. */
export const bookmarkAttemptSchema = z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPT));

const checksum = (context: string, position: Position): string =>
  hash('sha256', JSON.stringify([context, position]), 'base64url').slice(0, 16);

export const encodeBookmark = (context: string, position: Position): string =>
  PREFIX + Buffer.from(JSON.stringify([...position, checksum(context, position)])).toString('base64url');

/** The position a bookmark holds, if it is exactly one this API issued in `context`; a 400 otherwise. */
export function decodeBookmark<const Schema extends z.ZodMiniType<Position>>(context: string, page: string, schema: Schema): z.output<Schema> {
  const invalid = new BadRequestError('page is not a bookmark this API issued for this request', 'page');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(page.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(decoded)) throw invalid;
  const parsed = schema.safeParse(decoded.slice(0, -1));
  if (!parsed.success) throw invalid;
  // Only the exact text issued is accepted (base64url decoding forgives stray characters).
  if (encodeBookmark(context, parsed.data) !== page) throw invalid;
  return parsed.data;
}
