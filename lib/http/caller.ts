import { parseListClaim } from '#lib/auth/list-claim.ts';
import type { Caller } from '#lib/domain/caller.ts';
import { BadRequestError } from '#lib/domain/errors.ts';
import { isWellFormedText } from '#lib/domain/well-formed-text.ts';
import type { HttpEvent } from './types.ts';

export interface ClaimNames {
  /** The claim listing the courses a token reaches. */
  courseClaim: string;
  /** When set, the claim listing the submissions a writer may write. */
  submissionClaim?: string | undefined;
}

/** The caller, from the claims the JWT authorizer verified (every value a string, lists rendered "[a b]"). */
export function callerOf(event: HttpEvent, { courseClaim, submissionClaim }: ClaimNames): Caller {
  const claims: Record<string, unknown> = event.requestContext.authorizer?.jwt?.claims ?? {};
  const claim = (name: string): string | undefined => {
    const value = claims[name];
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  };
  const subject = claim('sub') || undefined;
  // The subject is stored as the submission's owner: DynamoDB cannot store an unpaired surrogate.
  if (subject !== undefined && !isWellFormedText(subject)) throw new BadRequestError("the token's sub is not well-formed Unicode", 'sub');
  return {
    subject,
    courseIds: parseListClaim(claim(courseClaim)),
    ...(submissionClaim !== undefined && { submissionIds: parseListClaim(claim(submissionClaim)) }),
  };
}
