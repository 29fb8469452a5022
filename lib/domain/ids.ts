/** What the API's paths name. Ids are 1 to 128 characters of A-Z a-z 0-9 _ . - : ~ (never '#'). */
export interface QuizRef {
  courseId: string;
  quizId: string;
}

export interface SubmissionRef extends QuizRef {
  submissionId: string;
}

export interface AttemptRef extends SubmissionRef {
  attempt: number;
}
