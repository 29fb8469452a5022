import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Config } from '#lib/config.ts';
import type { TableAccess } from '#lib/routes.ts';
import { WRITTEN_ATTRIBUTES } from '#lib/store/table.ts';
import { FUNCTION_BUNDLING } from '../bundling.ts';

export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/**
 * The DynamoDB actions each function's code calls, and nothing else.
 * The writer claims the submission with UpdateItem, reads it back with GetItem when the claim's
 * condition fails, and stores events with BatchWriteItem (its PutRequests need no PutItem).
 * The reader reads the submission's current attempt with GetItem and pages with Query.
 */
export const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  write: ['dynamodb:BatchWriteItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem'],
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
};

/**
 * Narrower than the actions alone: the writer may write only the attributes the table module names
 * (not, say, a TTL on the submission item that keeps its owner) and ask back at most the old item.
 */
export const WRITER_CONDITIONS = {
  'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...WRITTEN_ATTRIBUTES] },
  StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'ALL_OLD'] },
} as const;


/** The settings lib/config.ts reads; Lambda itself sets AWS_REGION. */
type FunctionSettings = Pick<Record<keyof Config, string>, 'TABLE_NAME' | 'RETENTION_DAYS' | 'COURSE_CLAIM'> & Partial<Pick<Record<keyof Config, string>, 'SUBMISSION_CLAIM'>>;

export interface EventsFunctionProps {
  /** The handler module under functions/. */
  entry: `functions/${string}.ts`;
  description: string;
  memorySize: number;
  timeout: Duration;
  table: ITable;
  access: TableAccess;
  retentionDays: number;
  courseClaim: string;
  submissionClaim?: string | undefined;
  /** At most this many instances at once: a flood is throttled rather than scaled without bound. */
  reservedConcurrency: number;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * One of the two handlers as deployed: Node.js 24 on arm64, an ES module bundle with source maps,
 * its own log group, and a role that may write to that log group and call exactly its table actions.
 */
export class EventsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: EventsFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    // An own role instead of the default one, which carries the AWS-managed AWSLambdaBasicExecutionRole:
    // that policy lets the function create log groups and streams anywhere in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description}: its log group and ${props.access} access to the events table`,
    });
    this.logGroup.grantWrite(this.role);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...TABLE_ACTIONS[props.access]],
        resources: [props.table.tableArn],
        ...(props.access === 'write' && { conditions: WRITER_CONDITIONS }),
      }),
    );

    const settings: FunctionSettings = {
      TABLE_NAME: props.table.tableName,
      RETENTION_DAYS: String(props.retentionDays),
      COURSE_CLAIM: props.courseClaim,
      ...(props.submissionClaim !== undefined && { SUBMISSION_CLAIM: props.submissionClaim }),
    };
    this.function = new NodejsFunction(this, 'Function', {
      entry: fromRoot(props.entry),
      handler: 'handler',
      projectRoot: fromRoot('.'),
      depsLockFilePath: fromRoot('package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      bundling: FUNCTION_BUNDLING,
      environment: {
        ...settings,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // The event carries the caller's bearer token and the quiz events: never log it.
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      },
    });
  }
}

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

