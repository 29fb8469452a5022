import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * JSON text in and out of the service, keeping every number exactly as sent: event_data must come
 * back unchanged, and a double cannot hold 12345678901234567890 or 1e400. Such numbers are kept as
 * their text (a LosslessNumber); every other number is a plain number.
 */

// A number with 16 or more digits, or a three-digit exponent, may not fit a double. Anything else
// takes the fast path; a false alarm (a long digit string inside a string) only costs the slow one.
const MAY_NOT_FIT_A_DOUBLE = /(?:\d\.?){16}|[eE][+-]?\d{3}/;

const keepUnsafeNumbers = (text: string) => (isSafeNumber(text) ? Number(text) : new LosslessNumber(text));

/** Parses JSON text; throws SyntaxError (or RangeError when nested too deep) like JSON.parse. */
export const parseJson = (text: string): unknown =>
  MAY_NOT_FIT_A_DOUBLE.test(text) ? parse(text, null, keepUnsafeNumbers) : JSON.parse(text);

/** JSON text of a value from parseJson, its kept numbers written as they came. */
export const jsonText = (value: unknown): string => stringify(value) ?? 'null';

/**
 * JSON text with object keys sorted at every depth, so that two event_data values equal up to key
 * order have the same text (and so the same digest). Written to a string directly: building sorted
 * objects would trip over keys such as "__proto__".
 */
export function canonicalJson(value: unknown): string {
  if (isLosslessNumber(value)) return value.value;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Nesting depth of a JSON value (a scalar is 0); stops counting past `limit` to stay off the stack's edge. */
export function jsonDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object' || isLosslessNumber(value)) return 0;
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, jsonDepth(child, limit - 1));
    if (deepest >= limit) break;
  }
  return deepest + 1;
}
