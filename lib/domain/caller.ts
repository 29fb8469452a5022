/** Who is calling, as the token says. */
export interface Caller {
  subject: string;
  /** The courses this caller may read; undefined means every course. */
  courseIds?: string[] | undefined;
}
