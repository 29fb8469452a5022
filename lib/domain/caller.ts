/** Who is calling, as the token says. */
export interface Caller {
  /** The token's `sub`; a reading service's token may have none, a writer needs one to own a submission. */
  subject?: string | undefined;
  /** The courses this caller may read; undefined means every course. */
  courseIds?: string[] | undefined;
}
