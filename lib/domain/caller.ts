import { ForbiddenError } from './errors.ts';

/** In a course claim: every course (institution-wide reporting tools). */
export const EVERY_COURSE = '*';

/** Who is calling, as the verified token says. */
export interface Caller {
  /** The token's `sub`; a writer needs one to own a submission. */
  subject?: string | undefined;
  /** The courses the token reaches ('*': every course); none when its course claim is absent or unreadable. */
  courseIds: readonly string[];
  /** Set only when the deployment names a submission claim: the submissions this token may write. */
  submissionIds?: readonly string[] | undefined;
}

/** Every route, reads and writes alike, is refused unless the token's course claim reaches the course. */
export function assertReachesCourse(caller: Caller, courseId: string): void {
  if (!caller.courseIds.includes(EVERY_COURSE) && !caller.courseIds.includes(courseId)) {
    throw new ForbiddenError('the token does not reach this course', 'course');
  }
}
