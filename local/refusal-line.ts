import type { DenialReason } from '#lib/auth/gateway-denials.ts';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { LOCAL_KEY_FILE_NAME } from '#lib/auth/local-keys.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, routeScope, type ScopeOverrides } from '#lib/auth/scopes.ts';
import { ForbiddenError } from '#lib/domain/errors.ts';
import { accessOf } from '#lib/routes.ts';
import { DEFAULT_DATA_DIR } from './local-settings.ts';
import type { Refusal } from './server.ts';

/** The settings `npm start` runs with, which a token for it must be minted with too. */
export interface RefusalContext {
  dataDir: string;
  scopeOverrides: ScopeOverrides;
  courseClaim: string;
  submissionClaim?: string | undefined;
}

/**
 * One line for `npm start`'s terminal: the answer, the request, why it was refused and what to do.
 * The client is told no more than the gateway would tell it; the person at the terminal is.
 */
export function refusalLine(refusal: Refusal, context: RefusalContext): string {
  return `Refused ${refusal.statusCode} ${refusal.method} ${refusal.path}: ${why(refusal, context)}`;
}

function why(refusal: Refusal, context: RefusalContext): string {
  const { why } = refusal;
  switch (why.by) {
    case 'router':
      return 'no such route: the routes are under /api/v1/courses/:course_id/quizzes/:quiz_id/ (docs/api.md)';
    case 'gateway':
      return why.message;
    case 'authorizer':
      return why.reason === undefined ? 'refused by the authorizer' : tokenFailure(why.reason, refusal, context);
    case 'handler':
      if (why.error instanceof ForbiddenError) return forbidden(why.error, refusal, context);
      return why.error?.message ?? 'see the answer';
  }
}

function tokenFailure(reason: DenialReason, refusal: Refusal, context: RefusalContext): string {
  const mint = mintCommand(refusal, context);
  switch (reason) {
    case 'missing-token':
      return `no token: send "Authorization: Bearer <token>", with a token from ${mint}`;
    case 'malformed-token':
      return `the token is not a well-formed JWT: send it as npm run token prints it, after "Bearer ": ${mint}`;
    case 'algorithm-not-allowed':
      return `the token is not signed with RS256, RS384 or RS512: mint one with ${mint}`;
    case 'missing-key-id':
    case 'unknown-key':
    case 'bad-signature':
      return `the token was not signed with this server's key (${context.dataDir}/${LOCAL_KEY_FILE_NAME}): it was minted with another DATA_DIR, or before that file was replaced; mint one with ${mint}`;
    case 'wrong-issuer':
      return `the token's iss is not ${LOCAL_ISSUER}, and the local server accepts only its own tokens: mint one with ${mint}`;
    case 'wrong-audience':
      return `the token's aud is not ${LOCAL_AUDIENCE}, and the local server accepts only its own tokens: mint one with ${mint}`;
    case 'missing-expiry':
      return `the token has no exp: mint one with ${mint}`;
    case 'expired':
      return `the token has expired: mint a new one (--ttl sets how long it lasts) with ${mint}`;
    case 'not-yet-valid':
    case 'issued-in-future':
      return `the token's ${reason === 'not-yet-valid' ? 'nbf' : 'iat'} is in the future: check this machine's clock, or mint one with ${mint}`;
    case 'missing-scope': {
      const route = refusal.route!.id;
      return `the token lacks this route's scope ${routeScope(route, context.scopeOverrides)}: mint one with --scopes ${accessOf(route)}: ${mint}`;
    }
  }
}

function forbidden(error: ForbiddenError, refusal: Refusal, context: RefusalContext): string {
  const { course_id: course, quiz_id: quiz, id: submission } = refusal.route?.pathParameters ?? {};
  const claim = (name: string) => claimText(refusal.claims?.[name]);
  switch (error.reason) {
    case 'course':
      return `the token's ${context.courseClaim} claim (${claim(context.courseClaim)}) does not list course ${course}: mint one with --course-ids ${course} (or '*' for every course): ${mintCommand(refusal, context)}`;
    case 'submission':
      return `the token's ${context.submissionClaim} claim (${claim(context.submissionClaim!)}) does not list submission ${submission}: mint one with --submission-ids ${submission}: ${mintCommand(refusal, context, submission)}`;
    case 'subject':
      return `the token has no sub, and a writer needs one to own the submission: mint one with --sub: ${mintCommand(refusal, context)}`;
    case 'owner':
      return `submission ${submission} of quiz ${quiz} in course ${course} belongs to another sub than ${claim('sub')}, its first writer: post as that sub, or to another submission`;
  }
}

/** `npm run token` for this route and course, with the settings of this server that it must share. */
function mintCommand({ route, claims }: Refusal, context: RefusalContext, submissionId?: string): string {
  const settings = {
    DATA_DIR: context.dataDir === DEFAULT_DATA_DIR ? undefined : context.dataDir,
    READ_SCOPE: context.scopeOverrides.read,
    WRITE_SCOPE: context.scopeOverrides.write,
    COURSE_CLAIM: context.courseClaim === DEFAULT_COURSE_CLAIM ? undefined : context.courseClaim,
    SUBMISSION_CLAIM: context.submissionClaim,
  };
  const prefix = Object.entries(settings).flatMap(([name, value]) => (value === undefined ? [] : [`${name}=${shellWord(value)} `]));
  const sub = claims?.['sub'] === undefined ? 'student-1' : claimText(claims['sub']);
  const access = route ? accessOf(route.id) : 'read,write';
  const course = route?.pathParameters['course_id'] ?? '1';
  const submission = submissionId === undefined ? '' : ` --submission-ids ${shellWord(submissionId)}`;
  return `${prefix.join('')}npm run token -- --sub ${shellWord(sub)} --scopes ${access} --course-ids ${shellWord(course)}${submission}`;
}

const claimText = (value: unknown): string => (value === undefined ? 'absent' : typeof value === 'string' ? value : JSON.stringify(value));

const shellWord = (value: string): string => (/^[\w./:@=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);
