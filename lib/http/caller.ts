import { parseCourseClaim } from '#lib/auth/course-claim.ts';
import type { Caller } from '#lib/domain/caller.ts';
import type { HttpEvent } from './types.ts';

/** The caller, from the claims the JWT authorizer verified. */
export function callerOf(event: HttpEvent, courseClaim: string): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const { sub: subject } = claims;
  const courses = claims[courseClaim];
  return {
    subject: subject === undefined || subject === '' ? undefined : String(subject),
    courseIds: courses === undefined ? undefined : parseCourseClaim(String(courses)),
  };
}
