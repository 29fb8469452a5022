import { describe, expect, it } from 'vitest';
import { WRITTEN_ATTRIBUTES } from '#lib/store/table.ts';
import { DEFAULTS } from '../../infra/config.ts';
import { FUNCTION_ARCHITECTURE, FUNCTION_RUNTIME, WRITER_CONDITIONS } from '../../infra/constructs/events-function.ts';
import { FUNCTION_SIZES, LOG_RETENTION } from '../../infra/events-stack.ts';
import { DEPLOYMENT_CONTEXT, resource, synth } from './synth.ts';

const { template } = synth();
const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0]!;
const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };

const FUNCTIONS = {
  writer: { prefix: 'Writer', actions: ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], conditions: WRITER_CONDITIONS, concurrency: DEFAULTS.writerConcurrency },
  reader: { prefix: 'Reader', actions: ['dynamodb:GetItem', 'dynamodb:Query'], conditions: undefined, concurrency: DEFAULTS.readerConcurrency },
} as const;

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown };

/** Every statement any identity policy gives a role, with actions and resources as sorted lists. */
function statementsOf(roleId: string) {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
  );
  return policies
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .map(({ Action, Resource, ...rest }) => ({ ...rest, Action: [Action].flat().sort(), Resource: [Resource].flat() }));
}

describe.each(Object.entries(FUNCTIONS))('the %s function', (name, { prefix, actions, conditions, concurrency }) => {
  const fn = resource(template, 'AWS::Lambda::Function', `${prefix}Function`);
  const role = resource(template, 'AWS::IAM::Role', `${prefix}Role`);
  const logGroup = resource(template, 'AWS::Logs::LogGroup', `${prefix}Logs`);

  it('runs Node.js 24 on arm64, as an ES module handler', () => {
    expect(FUNCTION_RUNTIME.name).toBe('nodejs24.x');
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Architectures).toEqual([FUNCTION_ARCHITECTURE.name]);
    expect(FUNCTION_ARCHITECTURE.name).toBe('arm64');
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it('has the memory and timeout chosen for it', () => {
    const size = FUNCTION_SIZES[name as keyof typeof FUNCTION_SIZES];
    expect(fn.Properties.MemorySize).toBe(size.memorySize);
    expect(fn.Properties.Timeout).toBe(size.timeout.toSeconds());
  });

  it('is configured through the environment lib/config.ts reads, with source maps and Powertools settings', () => {
    expect(fn.Properties.Environment.Variables).toEqual({
      TABLE_NAME: { Ref: tableId },
      RETENTION_DAYS: DEPLOYMENT_CONTEXT.retentionDays,
      COURSE_CLAIM: 'course_ids',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_LOGGER_LOG_EVENT: 'false',
    });
  });

  it('logs to its own log group, which expires its logs', () => {
    expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroup.id } });
    expect(logGroup.Properties.RetentionInDays).toBe(LOG_RETENTION);
  });

  it('assumes a role only Lambda can assume, with no managed or inline policies', () => {
    expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': [role.id, 'Arn'] });
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
  });

  it('has a reserved concurrency: a flood is throttled, not scaled without bound', () => {
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(concurrency);
  });

  it(`may call exactly ${actions.join(', ')} on the table${conditions ? ', writing only the table module\'s attributes,' : ''} and write to its own log group`, () => {
    expect(statementsOf(role.id)).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: [...actions], Resource: [tableArn], ...(conditions && { Condition: conditions }) },
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [{ 'Fn::GetAtt': [logGroup.id, 'Arn'] }] },
      ]),
    );
    expect(statementsOf(role.id)).toHaveLength(2);
  });
});

describe('the writer\'s permissions', () => {
  it('name every attribute the store writes, and no other', () => {
    expect(new Set(WRITER_CONDITIONS['ForAllValues:StringEquals']['dynamodb:Attributes'])).toEqual(
      new Set(['pk', 'sk', 'expiresAt', 'eventType', 'eventData', 'clientTimestamp', 'receivedAt', 'owner', 'attempts', 'eventCount', 'rosteredAttempt', 'currentAttempt']),
    );
    expect(WRITTEN_ATTRIBUTES).toHaveLength(12);
  });
});
/** The writer and the reader: the functions that read the table. */
const eventsFunctions = (synthesized: typeof template) => {
  const found = Object.values(synthesized.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Environment?.Variables?.TABLE_NAME !== undefined);
  expect(found).toHaveLength(2);
  return found;
};

describe('the stack as a whole', () => {
  it('has just the two functions and their two roles, besides CDK\'s handler that uploads the quiz log page: nothing else runs code or holds permissions', () => {
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    expect(functions.filter((id) => !id.startsWith('CustomCDKBucketDeployment'))).toHaveLength(2);
    expect(functions).toHaveLength(3);
    template.resourceCountIs('AWS::IAM::Role', 3);
    template.resourceCountIs('AWS::IAM::Policy', 3);
  });

  it('passes retentionDays on to the functions, which write TTLs only when it is above 0', () => {
    // Act
    const { template: forever } = synth({ ...DEPLOYMENT_CONTEXT, retentionDays: '0' });

    // Assert
    for (const fn of eventsFunctions(forever)) {
      expect(fn.Properties.Environment.Variables.RETENTION_DAYS).toBe('0');
    }
  });

  it('passes a configured course claim on to the functions', () => {
    // Act
    const { template: configured } = synth({ ...DEPLOYMENT_CONTEXT, courseClaim: 'https://canvas.example.edu/courses' });

    // Assert
    for (const fn of eventsFunctions(configured)) {
      expect(fn.Properties.Environment.Variables.COURSE_CLAIM).toBe('https://canvas.example.edu/courses');
    }
  });
});
