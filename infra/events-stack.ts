import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_SECONDS } from '#lib/domain/limits.ts';
import { type FunctionName, FUNCTIONS } from '#lib/routes.ts';
import { type DeploymentConfig, ignoredVariableWarning } from './config.ts';
import { Analytics } from './constructs/analytics.ts';
import { EventsApi } from './constructs/events-api.ts';
import { EventsFunction } from './constructs/events-function.ts';
import { EventsTable } from './constructs/events-table.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { QuizLogSite } from './constructs/quiz-log-site.ts';

export interface EventsStackProps extends StackProps {
  config: DeploymentConfig;
}

/**
 * Sizes, chosen rather than defaulted. Lambda's CPU grows with memory (one vCPU at 1,769 MB), and
 * both functions spend most of their time waiting on DynamoDB, so more memory would mostly buy idle CPU.
 * Measured on the bundled writer (Node 20, x86 dev machine): a typical 5-event batch takes ~4 ms of
 * CPU; the worst case, 1,000 events in a 4 MiB body, ~0.2 s of CPU at ~140 MB RSS. At 512 MB
 * (~0.29 vCPU) that worst case stays under a second with memory to spare, and a typical batch costs
 * half what it would at 1,024 MB. The reader serves one Query of at most 100 items per page; it gets
 * the same 512 MB for a teacher-facing cold start, which is CPU-bound module loading.
 * Timeouts: a request still waiting on the store 2 s before the timeout (TIMEOUT_MARGIN_MS,
 * lib/domain/limits.ts) is answered 503 by the function itself, its storage calls aborted. Lambda bills the time used,
 * not the timeout, and both stay far below the HTTP API's 30 s integration limit.
 */
export const FUNCTION_SIZES = {
  writer: { memorySize: 512, timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS) },
  reader: { memorySize: 512, timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS) },
} as const;

/** Long enough to investigate an incident reported a few weeks later; logs hold no event data. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

export const stackName = (stage: string) => `QuizSubmissionEvents-${stage}`;

/** The whole service: table, the two functions, the HTTP API and the alarms; when configured, the quiz log page and the analytics path. */
export class EventsStack extends Stack {
  constructor(scope: Construct, id: string, { config, ...props }: EventsStackProps) {
    super(scope, id, {
      description: config.usesExampleValues
        ? 'Quiz Submission Events API (EXAMPLE configuration: not for deployment)'
        : 'Quiz Submission Events API (Canvas LMS compatible)',
      ...props,
    });
    if (config.usesExampleValues) {
      Annotations.of(this).addWarningV2(
        'quiz-submission-events:example-configuration',
        `No configuration given: using example values (issuer ${config.issuer}). ` +
          'Deploy with -c issuer=… -c audience=… (see README, "Deploy to AWS").',
      );
    }
    for (const ignored of config.ignoredVariables) {
      Annotations.of(this).addWarningV2(`quiz-submission-events:ignored-variable:${ignored.variable}`, ignoredVariableWarning(ignored));
    }
    const logRemovalPolicy = config.destroyOnDelete ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const { table } = new EventsTable(this, 'Events', {
      destroyOnDelete: config.destroyOnDelete,
      maxWriteUnits: config.tableMaxWriteUnits,
      maxReadUnits: config.tableMaxReadUnits,
      changeStream: config.analytics,
    });
    const shared = {
      table,
      retentionDays: config.retentionDays,
      courseClaim: config.courseClaim,
      submissionClaim: config.submissionClaim,
      logRetention: LOG_RETENTION,
      logRemovalPolicy,
    };
    const reservedConcurrency = { writer: config.writerConcurrency, reader: config.readerConcurrency };
    const eventsFunction = (name: FunctionName, id: string) =>
      new EventsFunction(this, id, { ...shared, ...FUNCTION_SIZES[name], ...FUNCTIONS[name], reservedConcurrency: reservedConcurrency[name] }).function;
    const functions = { writer: eventsFunction('writer', 'Writer'), reader: eventsFunction('reader', 'Reader') };
    const site = config.site && new QuizLogSite(this, 'QuizLogSite', { ...config.site, logRetention: LOG_RETENTION, logRemovalPolicy });
    const api = new EventsApi(this, 'Api', {
      functions,
      issuer: config.issuer,
      audience: config.audience,
      scopes: config.scopes,
      allowedOrigins: site ? [...config.allowedOrigins, site.origin] : config.allowedOrigins,
      throttle: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      logRetention: LOG_RETENTION,
      logRemovalPolicy,
    });
    const alarms = new OperationsAlarms(this, 'Alarms', {
      ...functions,
      api: api.api,
      accessLogs: api.accessLogs,
      table,
      maxWriteUnits: config.tableMaxWriteUnits,
      alarmEmail: config.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.api.apiEndpoint, description: 'The API base URL' });
    new CfnOutput(this, 'EventsUrl', {
      value: api.eventsUrl,
      description: 'The events resource: replace {course_id}, {quiz_id} and {id}',
    });
    if (site) {
      site.publish({ apiUrl: api.api.apiEndpoint });
      new CfnOutput(this, 'SiteUrl', { value: `${site.origin}/`, description: 'The quiz log page; register it as the sign-in redirect URI of its OIDC client' });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The events table (retained on stack deletion)' });

    if (config.analytics) new Analytics(this, 'Analytics', { table, stage: config.stage, retentionDays: config.retentionDays, alarmTopic: alarms.topic });
  }
}
