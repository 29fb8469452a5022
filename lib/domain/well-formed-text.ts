import * as z from 'zod/mini';

/**
 * DynamoDB keeps strings as UTF-8, where an unpaired UTF-16 surrogate has no encoding: one store
 * refuses the write (a 503 the client would resend forever), another keeps it. Every free string we
 * store or key on is checked with this first; event_data is kept as JSON text, where such a surrogate
 * is written as an escape (\ud800), so it needs no check.
 */
export const isWellFormedText = (text: string): boolean => text.isWellFormed();

const NOT_WELL_FORMED = 'must be well-formed Unicode (it holds an unpaired UTF-16 surrogate)';

/** The zod check of isWellFormedText: `z.string().check(wellFormedText)`. */
export const wellFormedText = z.refine<string>(isWellFormedText, NOT_WELL_FORMED);
