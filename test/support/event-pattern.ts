/**
 * EventBridge's event-pattern matching, for the operators the pipe's filter uses: a list of allowed
 * values, and `{"exists": true|false}`. Any other operator throws, so the filter cannot grow one that
 * these tests would silently get wrong.
 */

type Pattern = { readonly [field: string]: Pattern | readonly unknown[] };

export function matchesPattern(event: unknown, pattern: Pattern): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    const value = isObject(event) ? event[field] : undefined;
    if (!Array.isArray(rule)) return isObject(value) && matchesPattern(value, rule as Pattern);
    return rule.some((allowed) => matchesValue(value, allowed));
  });
}

export const matchesAnyPattern = (event: unknown, patterns: readonly Pattern[]): boolean =>
  patterns.some((pattern) => matchesPattern(event, pattern));

function matchesValue(value: unknown, allowed: unknown): boolean {
  if (!isObject(allowed)) return value === allowed;
  const operators = Object.keys(allowed);
  if (operators.length === 1 && operators[0] === 'exists') return (value !== undefined && !isObject(value)) === allowed.exists;
  throw new Error(`event-pattern operator not supported here: ${JSON.stringify(allowed)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
