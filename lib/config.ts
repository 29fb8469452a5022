// zod/mini, as lib/domain/schemas.ts: this module is in both functions' cold start.
import * as z from 'zod/mini';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';

/** The functions' configuration, read from the environment once at start-up. */
const environmentSchema = z.object({
  TABLE_NAME: z.string('is required').check(z.minLength(1, 'must not be empty')),
  /** Only for the local server and tests: the embedded store's URL. */
  DYNAMODB_ENDPOINT: z.optional(z.url('must be a URL')),
  AWS_REGION: z._default(z.string().check(z.minLength(1, 'must not be empty')), 'us-east-1'),
  /** Days to keep events (DynamoDB TTL); 0 keeps them forever. */
  RETENTION_DAYS: z._default(z.coerce.number('must be a number').check(z.refine(Number.isInteger, 'must be a whole number'), z.minimum(0, 'must be 0 or more')), 0),
  /** The token claim listing the courses a token reaches; a token without it reaches none. */
  COURSE_CLAIM: z._default(z.string().check(z.minLength(1, 'must not be empty')), DEFAULT_COURSE_CLAIM),
  /** When set, the token claim listing the submissions a writer may write. */
  SUBMISSION_CLAIM: z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
});

export type Config = z.output<typeof environmentSchema>;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable reads as unset, as in the local server's settings and most .env files.
  const parsed = environmentSchema.safeParse(Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
