import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routeScopes } from '#lib/auth/scopes.ts';
import { ConfigurationError, DEFAULTS, EXAMPLE_VALUES, loadDeploymentConfig } from '../../infra/config.ts';
import { DEPLOYMENT_CONTEXT, synth } from './synth.ts';

const fromContext = (context: Record<string, unknown>) => (key: string) => context[key];
const REQUIRED = { issuer: 'https://idp.example.edu/', audience: 'quiz-submission-events' };

describe('deployment configuration', () => {
  it('reads every key from context, as `cdk deploy -c key=value` passes it', () => {
    // Act
    const config = loadDeploymentConfig(fromContext({ ...DEPLOYMENT_CONTEXT, readScope: 'events:read', writeScope: 'events:write', courseClaim: 'courses', destroyOnDelete: 'true' }));

    // Assert
    expect(config).toEqual({
      issuer: 'https://idp.example.edu/realms/canvas',
      audience: ['quiz-submission-events'],
      allowedOrigins: ['https://canvas.example.edu', 'https://quiz.example.edu'],
      retentionDays: 400,
      alarmEmail: 'lms-ops@example.edu',
      throttleRate: 50,
      throttleBurst: 120,
      stage: 'test',
      scopes: routeScopes({ read: 'events:read', write: 'events:write' }),
      courseClaim: 'courses',
      writerConcurrency: DEFAULTS.writerConcurrency,
      readerConcurrency: DEFAULTS.readerConcurrency,
      tableMaxWriteUnits: DEFAULTS.tableMaxWriteUnits,
      tableMaxReadUnits: DEFAULTS.tableMaxReadUnits,
      destroyOnDelete: true,
      analytics: false,
      site: { oidc: { authority: 'https://idp.example.edu/realms/canvas', clientId: 'quiz-log-page', scopes: 'openid events:read' }, connectOrigins: [] },
      usesExampleValues: false,
      ignoredVariables: [],
    });
  });

  it('turns the analytics path on from context or from DEPLOY_ANALYTICS', () => {
    expect(loadDeploymentConfig(fromContext({ ...REQUIRED, analytics: 'true' })).analytics).toBe(true);
    expect(loadDeploymentConfig(fromContext({ ...REQUIRED, analytics: true })).analytics).toBe(true);
    expect(loadDeploymentConfig(fromContext(REQUIRED), { DEPLOY_ANALYTICS: 'true' }).analytics).toBe(true);
    expect(() => loadDeploymentConfig(fromContext({ ...REQUIRED, analytics: 'on' }))).toThrow(/analytics: must be true or false/);
  });

  it('defaults to Canvas scopes, no retention, no CORS, no e-mail, a retained table and no analytics path', () => {
    // Act
    const config = loadDeploymentConfig(fromContext(REQUIRED));

    // Assert
    expect(config).toMatchObject({
      audience: ['quiz-submission-events'],
      allowedOrigins: [],
      retentionDays: 0,
      throttleRate: DEFAULTS.throttleRate,
      throttleBurst: DEFAULTS.throttleBurst,
      stage: 'prod',
      scopes: routeScopes(),
      courseClaim: 'course_ids',
      destroyOnDelete: false,
      analytics: false,
      usesExampleValues: false,
    });
    expect(config.alarmEmail).toBeUndefined();
  });

  it('falls back to DEPLOY_ environment variables, and context wins over them', () => {
    // Arrange
    const environment = {
      DEPLOY_ISSUER: 'https://env.example.edu/',
      DEPLOY_AUDIENCE: 'a,b',
      DEPLOY_RETENTION_DAYS: '30',
      DEPLOY_ALLOWED_ORIGINS: 'https://canvas.example.edu',
      DEPLOY_TABLE_MAX_WRITE_UNITS: '100',
      DEPLOY_SITE_OIDC_CLIENT_ID: 'quiz-log',
      DEPLOY_STAGE: 'staging',
    };

    // Act
    const config = loadDeploymentConfig(fromContext({ retentionDays: '7' }), environment);

    // Assert
    expect(config).toMatchObject({
      issuer: 'https://env.example.edu/',
      audience: ['a', 'b'],
      retentionDays: 7,
      allowedOrigins: ['https://canvas.example.edu'],
      tableMaxWriteUnits: 100,
      site: { oidc: { clientId: 'quiz-log' } },
      stage: 'staging',
      ignoredVariables: [],
    });
  });

  it("does not take the local server's variables set in the same shell, and names each it left alone", () => {
    // Arrange: what `ALLOWED_ORIGINS=… READ_SCOPE=… npm start` leaves in a developer's shell, and older names
    const environment = {
      ALLOWED_ORIGINS: 'http://localhost:5173',
      READ_SCOPE: 'events.read',
      WRITE_SCOPE: 'events.write',
      COURSE_CLAIM: 'courses',
      SUBMISSION_CLAIM: 'submissions',
      RETENTION_DAYS: '1',
      JWT_ISSUER: 'https://old.example.edu/',
      PORT: '3000',
      DATA_DIR: '.data',
    };

    // Act
    const config = loadDeploymentConfig(fromContext(REQUIRED), environment);

    // Assert
    expect(config).toMatchObject({ allowedOrigins: [], scopes: routeScopes(), courseClaim: 'course_ids', retentionDays: 0, issuer: REQUIRED.issuer });
    expect(config.submissionClaim).toBeUndefined();
    expect(config.ignoredVariables).toEqual([
      { variable: 'ALLOWED_ORIGINS', key: 'allowedOrigins' },
      { variable: 'RETENTION_DAYS', key: 'retentionDays' },
      { variable: 'READ_SCOPE', key: 'readScope' },
      { variable: 'WRITE_SCOPE', key: 'writeScope' },
      { variable: 'COURSE_CLAIM', key: 'courseClaim' },
      { variable: 'SUBMISSION_CLAIM', key: 'submissionClaim' },
    ]);
  });

  it('names no variable when its setting is given, by -c or by its DEPLOY_ variable', () => {
    // Act
    const config = loadDeploymentConfig(fromContext({ ...REQUIRED, allowedOrigins: 'https://canvas.example.edu' }), {
      ALLOWED_ORIGINS: 'http://localhost:5173',
      READ_SCOPE: 'events.read',
      DEPLOY_READ_SCOPE: 'quiz-events/read',
    });

    // Assert
    expect(config.allowedOrigins).toEqual(['https://canvas.example.edu']);
    expect(config.scopes.getEvents).toBe('quiz-events/read');
    expect(config.ignoredVariables).toEqual([]);
  });

  it('a missing issuer names the older variable that is set but not read', () => {
    expect(() => loadDeploymentConfig(fromContext({ audience: 'x' }), { JWT_ISSUER: 'https://idp.example.edu/' })).toThrow(
      'issuer: required (-c issuer=… or set DEPLOY_ISSUER; JWT_ISSUER is set but not read)',
    );
  });

  it('accepts the JSON numbers and booleans of cdk.json context', () => {
    // Act
    const config = loadDeploymentConfig(fromContext({ ...REQUIRED, retentionDays: 90, throttleRate: 10, throttleBurst: 20, destroyOnDelete: false }));

    // Assert
    expect(config).toMatchObject({ retentionDays: 90, throttleRate: 10, throttleBurst: 20, destroyOnDelete: false });
  });

  it.each([
    ['issuer', { audience: 'x' }, /issuer: required \(-c issuer=… or set DEPLOY_ISSUER\)/],
    ['audience', { issuer: 'https://idp.example.edu/' }, /audience: required \(-c audience=… or set DEPLOY_AUDIENCE\)/],
  ])('a missing %s fails with a message naming the key', (_key, context, message) => {
    // Act
    const load = () => loadDeploymentConfig(fromContext(context));

    // Assert
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(message);
  });

  it.each([
    ['an issuer that is not https', { issuer: 'http://idp.example.edu/' }, /issuer: must be an https URL/],
    ['an empty audience list', { audience: ' , ' }, /audience: must name at least one audience/],
    ['a wildcard origin', { allowedOrigins: 'https://canvas.example.edu,*' }, /allowedOrigins: .*no wildcard/],
    ['an origin with a path', { allowedOrigins: 'https://canvas.example.edu/courses' }, /allowedOrigins: .*no path/],
    ['a fractional retention', { retentionDays: '1.5' }, /retentionDays: must be a whole number/],
    ['a negative retention', { retentionDays: '-1' }, /retentionDays:/],
    ['a burst below the rate', { throttleRate: '100', throttleBurst: '50' }, /throttleBurst: must be at least throttleRate/],
    ['a stage that cannot name a stack', { stage: 'prod/eu' }, /stage: must be 1-32 letters, digits or hyphens/],
    ['a scope with a space', { writeScope: 'events write' }, /writeScope: .*without whitespace/],
    ['an unreadable switch', { destroyOnDelete: 'yes' }, /destroyOnDelete: must be true or false/],
    ['an address that is not one', { alarmEmail: 'ops' }, /alarmEmail:/],
  ])('refuses %s', (_case, override, message) => {
    // Act
    const load = () => loadDeploymentConfig(fromContext({ ...REQUIRED, ...override }));

    // Assert
    expect(load).toThrow(message);
  });

  it('with no setting at all, stands in the marked example values', () => {
    // Act
    const config = loadDeploymentConfig(fromContext({}));

    // Assert
    expect(config).toMatchObject({ issuer: EXAMPLE_VALUES.issuer, audience: [EXAMPLE_VALUES.audience], usesExampleValues: true });
  });

  it('still stands in the example values when only an optional part is switched on', () => {
    // Act
    const config = loadDeploymentConfig(fromContext({ analytics: 'true' }));

    // Assert
    expect(config).toMatchObject({ issuer: EXAMPLE_VALUES.issuer, analytics: true, usesExampleValues: true });
  });
});

describe('synthesis', () => {
  it('without any context works for a first look, and warns that the values are examples', () => {
    // Act
    const { stack, template } = synth({});

    // Assert
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('No configuration given: using example values'));
    expect(template.toJSON().Description).toMatch(/EXAMPLE configuration: not for deployment/);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { JwtConfiguration: { Issuer: EXAMPLE_VALUES.issuer } });
  });

  it('with a real configuration carries no example warning', () => {
    // Act
    const { stack, template } = synth();

    // Assert
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('example values'));
    expect(template.toJSON().Description).not.toMatch(/EXAMPLE/);
  });

  it("warns of each of the local server's variables it leaves alone, saying how to deploy the setting", () => {
    // Act
    const { stack, config } = synth(REQUIRED, { environment: { ALLOWED_ORIGINS: 'http://localhost:5173' } });

    // Assert
    expect(config.allowedOrigins).toEqual([]);
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp(
        'ALLOWED_ORIGINS is set but not deployed: the stack reads allowedOrigins only from -c allowedOrigins=… or DEPLOY_ALLOWED_ORIGINS \\(ALLOWED_ORIGINS is the local server\'s setting, or an older name\\)',
      ),
    );
  });

  it('names the stack after the stage', () => {
    // Act
    const { stack } = synth({ ...REQUIRED, stage: 'staging' });

    // Assert
    expect(stack.stackName).toBe('QuizSubmissionEvents-staging');
  });

  it('through the cdk.json app, stops on a missing issuer with the message alone and writes no template', () => {
    // Arrange: the CDK CLI hands context and the output folder to the app in these variables
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const environment = { PATH: process.env.PATH, CDK_CONTEXT_JSON: JSON.stringify({ audience: 'x' }), CDK_OUTDIR: outdir };

    // Act
    const run = spawnSync('npx', ['tsx', 'infra/app.ts'], { env: environment, encoding: 'utf8' });

    // Assert
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('issuer: required (-c issuer=… or set DEPLOY_ISSUER)');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(outdir)).toEqual([]);
  });
});
