import type * as z from 'zod/mini';
import { BadRequestError } from '#lib/domain/errors.ts';

/** ['quiz_submission_events', 3, 'event_type'] → 'quiz_submission_events[3].event_type' */
const fieldName = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)),
    '',
  );

/** Validates one input with its schema; the first problem becomes a 400 naming the field. */
export function parseInput<Schema extends z.ZodMiniType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const field = issue && issue.path.length > 0 ? fieldName(issue.path) : undefined;
  throw new BadRequestError(field ? `${field} ${issue!.message}` : `${what} ${issue?.message ?? 'is invalid'}`, field);
}
