import { EVERY_COURSE } from '#lib/domain/caller.ts';
import { PATH_ID_PATTERN } from '#lib/domain/limits.ts';

/** The default name of the token claim listing the courses a token reaches. */
export const DEFAULT_COURSE_CLAIM = 'course_ids';

/**
 * The ids a list claim names, as API Gateway hands the claim over: a JSON array arrives rendered as
 * "[11 12]", a string as it was ("11 12"). Elements are split on whitespace only, never on commas, so
 * ["1,2"] names no course at all. An absent or empty claim names none; so does a claim holding anything
 * that is not an id (an object arrives as JSON text, a nested list as "[[…"): it fails closed, whole.
 */
export function parseListClaim(rendered: string | undefined): string[] {
  if (rendered === undefined) return [];
  const inner = rendered.startsWith('[') && rendered.endsWith(']') ? rendered.slice(1, -1) : rendered;
  const ids = inner.split(/\s+/).filter((id) => id !== '');
  return ids.every((id) => id === EVERY_COURSE || PATH_ID_PATTERN.test(id)) ? ids : [];
}
