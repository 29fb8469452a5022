import * as z from 'zod';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { type ScopeOverrides, validScopeOverride } from '#lib/auth/scopes.ts';
import type { TableAccess } from '#lib/routes.ts';
import { exactOrigin, parseAllowedOrigins } from '#lib/cors.ts';
import { transformOrIssue } from '#lib/transform-or-issue.ts';

/** An empty variable reads as unset, as in most .env files. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const setting = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfEmpty, schema);

/** A scope override that could match a token, or absent for Canvas's scope string. */
const scopeOverride = (access: TableAccess) =>
  setting(z.string().transform(transformOrIssue((value: string) => validScopeOverride(access, value))).optional());

export const DEFAULT_DATA_DIR = '.data';

const PORT_RANGE = 'must be a whole number from 0 to 65535 (0 picks a free port)';

/** The local server's and `npm run token`'s settings, read from the environment once. */
const localEnvironmentSchema = z
  .object({
    PORT: setting(
      z.coerce
        .number<string>({ error: PORT_RANGE })
        .int(PORT_RANGE)
        .min(0, PORT_RANGE)
        .max(65_535, PORT_RANGE)
        .default(3000),
    ),
    HOST: setting(z.string().default('127.0.0.1')),
    /** The embedded store's LevelDB folder and the local signing key's home. */
    DATA_DIR: setting(z.string().default(DEFAULT_DATA_DIR)),
    /** Replaces the writer route's scope, for an IdP that cannot mint Canvas's scope strings. */
    WRITE_SCOPE: scopeOverride('write'),
    /** Replaces the scope of every reader (GET) route. */
    READ_SCOPE: scopeOverride('read'),
    /** Comma-separated browser origins; none means no CORS configuration. */
    ALLOWED_ORIGINS: setting(z.string().optional().transform(transformOrIssue(parseAllowedOrigins))),
    /** The API's address as clients reach it, for the links it answers with; default http://HOST:PORT. */
    PUBLIC_URL: setting(z.string().transform(transformOrIssue(exactOrigin)).optional()),
    /** The same variables the functions read: the claim naming the courses a token reaches… */
    COURSE_CLAIM: setting(z.string().default(DEFAULT_COURSE_CLAIM)),
    /** …and, when set, the claim naming the submissions a writer may write. */
    SUBMISSION_CLAIM: setting(z.string().optional()),
  })
  .transform((environment) => ({
    port: environment.PORT,
    host: environment.HOST,
    dataDir: environment.DATA_DIR,
    scopeOverrides: { write: environment.WRITE_SCOPE, read: environment.READ_SCOPE } satisfies ScopeOverrides,
    allowedOrigins: environment.ALLOWED_ORIGINS,
    publicUrl: environment.PUBLIC_URL,
    courseClaim: environment.COURSE_CLAIM,
    submissionClaim: environment.SUBMISSION_CLAIM,
  }));

export type LocalSettings = z.output<typeof localEnvironmentSchema>;

/** Each wrong variable, as `NAME: what it must be`. */
export class LocalSettingsError extends Error {
  override name = 'LocalSettingsError';

  constructor(readonly problems: string[]) {
    super(`Invalid local configuration: ${problems.join('; ')}`);
  }
}

export function loadLocalSettings(environment: NodeJS.ProcessEnv = process.env): LocalSettings {
  const parsed = localEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new LocalSettingsError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = JSON.stringify(environment[name]);
        return issue.message.includes(value) ? `${name}: ${issue.message}` : `${name}: ${issue.message}, got ${value}`;
      }),
    );
  }
  return parsed.data;
}
