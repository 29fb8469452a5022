import * as z from 'zod';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/course-claim.ts';

/** The functions' configuration, read from the environment once at start-up. */
const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Only for the local server and tests: the embedded store's URL. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Days to keep events (DynamoDB TTL); 0 keeps them forever. */
  RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  /** The token claim listing the courses a reader may read; absent from a token means every course. */
  COURSE_CLAIM: z.string().min(1).default(DEFAULT_COURSE_CLAIM),
});

export type Config = z.output<typeof environmentSchema>;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
