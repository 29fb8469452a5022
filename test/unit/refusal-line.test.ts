import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '#lib/domain/errors.ts';
import { matchRoute } from '#lib/routes.ts';
import { refusalLine, type RefusalContext } from '#local/refusal-line.ts';
import type { Refusal } from '#local/server.ts';

/** The lines test/http/refusal-lines.test.ts does not reach over HTTP: the rarer reasons and settings. */
const PATH = '/api/v1/courses/7/quizzes/2/submissions/3/events';
const DEFAULTS: RefusalContext = { dataDir: '.data', scopeOverrides: {}, courseClaim: 'course_ids' };

const refusal = (statusCode: number, why: Refusal['why'], claims?: Refusal['claims']): Refusal => ({
  method: 'POST',
  path: PATH,
  statusCode,
  route: matchRoute('POST', PATH)!,
  ...(claims && { claims }),
  why,
});

const MINT = 'npm run token -- --sub student-1 --scopes write --course-ids 7';

describe('a refusal line', () => {
  it.each([
    ['wrong-issuer', `the token's iss is not http://127.0.0.1/local-issuer, and the local server accepts only its own tokens: mint one with ${MINT}`],
    ['wrong-audience', `the token's aud is not quiz-submission-events-local, and the local server accepts only its own tokens: mint one with ${MINT}`],
    ['malformed-token', `the token is not a well-formed JWT: send it as npm run token prints it, after "Bearer ": ${MINT}`],
    ['algorithm-not-allowed', `the token is not signed with RS256, RS384 or RS512: mint one with ${MINT}`],
    ['missing-expiry', `the token has no exp: mint one with ${MINT}`],
    ['not-yet-valid', `the token's nbf is in the future: check this machine's clock, or mint one with ${MINT}`],
    ['issued-in-future', `the token's iat is in the future: check this machine's clock, or mint one with ${MINT}`],
  ] as const)('for a token refused as %s says why and how to mint one', (reason, why) => {
    expect(refusalLine(refusal(401, { by: 'authorizer', reason }), DEFAULTS)).toBe(`Refused 401 POST ${PATH}: ${why}`);
  });

  it("names the settings npm run token must share with this server, quoted for the shell", () => {
    const context: RefusalContext = { dataDir: 'my data', scopeOverrides: { write: 'events|write' }, courseClaim: 'courses', submissionClaim: 'subs' };
    expect(refusalLine(refusal(401, { by: 'authorizer', reason: 'missing-token' }), context)).toBe(
      `Refused 401 POST ${PATH}: no token: send "Authorization: Bearer <token>", with a token from DATA_DIR='my data' WRITE_SCOPE='events|write' COURSE_CLAIM=courses SUBMISSION_CLAIM=subs ${MINT}`,
    );
  });

  it('for a token whose submission claim lacks the submission, mints one naming it', () => {
    const context = { ...DEFAULTS, submissionClaim: 'submission_ids' };
    const line = refusalLine(refusal(403, { by: 'handler', error: new ForbiddenError('…', 'submission') }, { sub: 'student-1', submission_ids: '[4]' }), context);
    expect(line).toBe(
      `Refused 403 POST ${PATH}: the token's submission_ids claim ([4]) does not list submission 3: mint one with --submission-ids 3: SUBMISSION_CLAIM=submission_ids ${MINT} --submission-ids 3`,
    );
  });

  it('for a writer without a sub, says a writer needs one', () => {
    const line = refusalLine(refusal(403, { by: 'handler', error: new ForbiddenError('…', 'subject') }, { course_ids: '[7]' }), DEFAULTS);
    expect(line).toBe(`Refused 403 POST ${PATH}: the token has no sub, and a writer needs one to own the submission: mint one with --sub: ${MINT}`);
  });

  it("for the gateway's own refusal, its reason", () => {
    expect(refusalLine(refusal(413, { by: 'gateway', message: "the body is over the HTTP API's 10 MiB limit" }), DEFAULTS)).toBe(
      `Refused 413 POST ${PATH}: the body is over the HTTP API's 10 MiB limit`,
    );
  });
});
