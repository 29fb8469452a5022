/** The default name of the token claim that limits a reader to some courses. */
export const DEFAULT_COURSE_CLAIM = 'course_ids';

/**
 * The course ids in a claim as API Gateway hands it over: a JSON array claim arrives rendered as
 * "[11 12]", a string claim as it was ("11,12" or "11 12").
 */
export const parseCourseClaim = (claim: string): string[] =>
  claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((courseId) => courseId !== '');
