import { parseCourseClaim } from '#lib/auth/course-claim.ts';
import type { Caller } from '#lib/domain/caller.ts';
import { UnauthenticatedError } from '#lib/domain/errors.ts';
import type { HttpEvent } from './types.ts';

/** The caller, from the claims the JWT authorizer verified. */
export function callerOf(event: HttpEvent, courseClaim: string): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const subject = claims.sub;
  if (subject === undefined || subject === '') throw new UnauthenticatedError('the token has no subject');
  const courses = claims[courseClaim];
  return { subject: String(subject), courseIds: courses === undefined ? undefined : parseCourseClaim(String(courses)) };
}
