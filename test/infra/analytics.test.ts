import { describe, expect, it } from 'vitest';
import { CHANGE_FILTER_PATTERNS, CHANGE_RECORD_COLUMNS, glueTypeName } from '../../infra/analytics/change-records.ts';
import { namedQueries } from '../../infra/analytics/named-queries.ts';
import { FIREHOSE_BUFFER, FIREHOSE_ERROR_PREFIX, FIREHOSE_PREFIX, PIPE_BATCH, PROJECTION_RANGE } from '../../infra/analytics/storage-layout.ts';
import { ANALYTICS_ALARMS, analyticsDatabaseName, analyticsWorkGroupName, BYTES_SCANNED_CUTOFF_PER_QUERY, CHANGES_TABLE } from '../../infra/constructs/analytics.ts';
import { DEPLOYMENT_CONTEXT, resource, synth } from './synth.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const ANALYTICS_TYPES = [
  'AWS::Pipes::Pipe',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::Glue::Database',
  'AWS::Glue::Table',
  'AWS::Athena::WorkGroup',
  'AWS::Athena::NamedQuery',
  'AWS::S3::Bucket',
];

// Without the quiz log page, whose site bucket and upload handler are not the analytics path's.
const { siteOidcClientId: _site, ...CORE_CONTEXT } = DEPLOYMENT_CONTEXT;
const off = synth(CORE_CONTEXT);
const on = synth({ ...CORE_CONTEXT, analytics: 'true' });
const resources = on.template.toJSON().Resources as Resources;
const database = analyticsDatabaseName(DEPLOYMENT_CONTEXT.stage);
const tableId = resource(on.template, 'AWS::DynamoDB::Table', 'EventsTable').id;
const bucketId = (prefix: string) => resource(on.template, 'AWS::S3::Bucket', `Analytics${prefix}`).id;
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const objectsOf = (id: string, pattern: string) => ({ 'Fn::Join': ['', [arnOf(id), `/${pattern}`]] });
const policyOf = (idPrefix: string) => resource(on.template, 'AWS::IAM::Policy', idPrefix).Properties.PolicyDocument.Statement;

describe('with the analytics switch off (the default)', () => {
  it('the template is the core stack, byte for byte, whether the switch is absent or false', () => {
    // Act
    const explicitlyOff = synth({ ...CORE_CONTEXT, analytics: 'false' });

    // Assert
    expect(JSON.stringify(explicitlyOff.template.toJSON())).toBe(JSON.stringify(off.template.toJSON()));
    for (const type of ANALYTICS_TYPES) off.template.resourceCountIs(type, 0);
    expect(resource(off.template, 'AWS::DynamoDB::Table', 'EventsTable').Properties.StreamSpecification).toBeUndefined();
  });
});

describe('with the analytics switch on', () => {
  it('adds the path and changes nothing else: every core resource and output is as it was, the table gains its change stream', () => {
    // Arrange
    const core = off.template.toJSON();
    const withAnalytics = on.template.toJSON();

    // Assert
    for (const [id, definition] of Object.entries(core.Resources as Resources)) {
      const expected = id === tableId ? { ...definition, Properties: { ...definition.Properties, StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } } : definition;
      expect(withAnalytics.Resources[id]).toEqual(expected);
    }
    for (const [id, output] of Object.entries(core.Outputs)) expect(withAnalytics.Outputs[id]).toEqual(output);
    for (const id of Object.keys(withAnalytics.Resources).filter((id) => !(id in core.Resources))) expect(id).toMatch(/^Analytics/);
  });

  it("alarms into the stack's alarm topic when the pipe keeps failing or Firehose holds a change for an hour", () => {
    // Arrange
    const topicId = resource(on.template, 'AWS::SNS::Topic', 'AlarmsTopic').id;
    const pipeId = resource(on.template, 'AWS::Pipes::Pipe', 'AnalyticsPipe').id;
    const deliveryId = resource(on.template, 'AWS::KinesisFirehose::DeliveryStream', 'AnalyticsDelivery').id;
    const alarm = (name: string) => resource(on.template, 'AWS::CloudWatch::Alarm', `Analytics${name}`).Properties;

    // Assert
    expect(alarm('PipeFailures')).toMatchObject({
      Namespace: 'AWS/EventBridge/Pipes',
      MetricName: 'ExecutionFailed',
      Dimensions: [{ Name: 'PipeName', Value: { Ref: pipeId } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: ANALYTICS_ALARMS.pipeFailurePeriods,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    expect(alarm('DeliveryDelay')).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: deliveryId } }],
      Statistic: 'Maximum',
      Threshold: 3600,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    on.template.resourceCountIs('AWS::CloudWatch::Alarm', Object.keys(off.template.findResources('AWS::CloudWatch::Alarm')).length + 2);
  });

  it('runs no function of its own: the writer and the reader stay the only two', () => {
    on.template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  it("pipes the table's stream into Firehose, through the filter that keeps event items and new submission items", () => {
    // Arrange
    const pipe = resource(on.template, 'AWS::Pipes::Pipe', 'AnalyticsPipe').Properties;
    const delivery = resource(on.template, 'AWS::KinesisFirehose::DeliveryStream', 'AnalyticsDelivery');

    // Assert
    expect(pipe.Source).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
    expect(pipe.Target).toEqual(arnOf(delivery.id));
    expect(pipe.SourceParameters.DynamoDBStreamParameters).toEqual({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: PIPE_BATCH.size,
      MaximumBatchingWindowInSeconds: PIPE_BATCH.windowSeconds,
      OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
    });
    expect(pipe.SourceParameters.FilterCriteria.Filters.map((filter: { Pattern: string }) => JSON.parse(filter.Pattern))).toEqual(CHANGE_FILTER_PATTERNS);
    expect(pipe.RoleArn).toEqual(arnOf(resource(on.template, 'AWS::IAM::Role', 'AnalyticsPipeRole').id));
  });

  it("lets the pipe read only the table's stream and put only into its Firehose stream", () => {
    expect(policyOf('AnalyticsPipePolicy')).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: { 'Fn::GetAtt': [tableId, 'StreamArn'] } },
      { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
      { Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: arnOf(resource(on.template, 'AWS::KinesisFirehose::DeliveryStream', 'AnalyticsDelivery').id) },
    ]);
    expect(resource(on.template, 'AWS::IAM::Role', 'AnalyticsPipeRole').Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'pipes.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
    ]);
  });

  it('has Firehose write encrypted, gzipped JSON lines into a folder per day, and failed records apart', () => {
    // Arrange
    const delivery = resource(on.template, 'AWS::KinesisFirehose::DeliveryStream', 'AnalyticsDelivery').Properties;

    // Assert
    expect(delivery).toMatchObject({ DeliveryStreamType: 'DirectPut', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } });
    expect(delivery.ExtendedS3DestinationConfiguration).toMatchObject({
      BucketARN: arnOf(bucketId('Changes')),
      Prefix: FIREHOSE_PREFIX,
      ErrorOutputPrefix: FIREHOSE_ERROR_PREFIX,
      CompressionFormat: 'GZIP',
      BufferingHints: { IntervalInSeconds: FIREHOSE_BUFFER.intervalSeconds, SizeInMBs: FIREHOSE_BUFFER.sizeMiB },
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
      CloudWatchLoggingOptions: { Enabled: true },
    });
    expect(FIREHOSE_PREFIX).toBe('changes/dt=!{timestamp:yyyy-MM-dd}/');
  });

  it('lets Firehose write only below its two prefixes of the analytics bucket, and log to its own stream', () => {
    const statements = policyOf('AnalyticsDeliveryPolicy');
    expect(statements.slice(0, 2)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: arnOf(bucketId('Changes')) },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: [objectsOf(bucketId('Changes'), 'changes/*'), objectsOf(bucketId('Changes'), 'delivery-errors/*')],
      },
    ]);
    expect(statements[2]).toMatchObject({ Action: 'logs:PutLogEvents' });
    expect(JSON.stringify(statements[2].Resource)).toContain(':log-stream:');
  });

  it('keeps every bucket private, encrypted, TLS-only and access-logged, with lifecycle rules', () => {
    // Arrange
    const buckets = Object.entries(on.template.findResources('AWS::S3::Bucket') as Resources);
    const policies = Object.values(on.template.findResources('AWS::S3::BucketPolicy') as Resources);

    // Assert
    expect(buckets).toHaveLength(3);
    for (const [id, { Properties }] of buckets) {
      expect(Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
      expect(Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(Properties.LifecycleConfiguration.Rules).toContainEqual({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' });
      const policy = policies.find((candidate) => candidate.Properties.Bucket.Ref === id)!;
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      if (id !== bucketId('AccessLogs')) expect(Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: bucketId('AccessLogs') });
    }
    expect(resources[bucketId('QueryResults')]!.Properties.LifecycleConfiguration.Rules).toContainEqual({ ExpirationInDays: 30, Status: 'Enabled' });
    expect(resources[bucketId('AccessLogs')]!.Properties.LifecycleConfiguration.Rules).toContainEqual({ ExpirationInDays: 90, Status: 'Enabled' });
  });

  it("expires change records with the table's retention, after moving them to Intelligent-Tiering", () => {
    // Arrange
    const rulesOf = (template: typeof on.template) =>
      resource(template, 'AWS::S3::Bucket', 'AnalyticsChanges').Properties.LifecycleConfiguration.Rules.filter((rule: { Prefix?: string }) => rule.Prefix === 'changes/');
    const keptForever = synth({ ...CORE_CONTEXT, analytics: 'true', retentionDays: '0' });

    // Assert
    expect(rulesOf(on.template)).toEqual([
      { Prefix: 'changes/', Status: 'Enabled', ExpirationInDays: Number(DEPLOYMENT_CONTEXT.retentionDays), Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] },
    ]);
    expect(rulesOf(keptForever.template)).toEqual([{ Prefix: 'changes/', Status: 'Enabled', Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }] }]);
  });

  it('declares the Glue table from the table module, with partition projection over the day folders', () => {
    // Arrange
    const table = resource(on.template, 'AWS::Glue::Table', 'AnalyticsChangesTable').Properties;
    const location = { 'Fn::Join': ['', ['s3://', { Ref: bucketId('Changes') }, '/changes/']] };

    // Assert
    expect(table.DatabaseName).toBe(database);
    expect(table.TableInput.Name).toBe(CHANGES_TABLE);
    expect(table.TableInput.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
    expect(table.TableInput.StorageDescriptor).toMatchObject({
      Location: location,
      Columns: Object.entries(CHANGE_RECORD_COLUMNS).map(([name, type]) => ({ Name: name.toLowerCase(), Type: glueTypeName(type) })),
      SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
    });
    expect(table.TableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': PROJECTION_RANGE,
      'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: bucketId('Changes') }, '/changes/dt=${dt}/']] },
    });
    expect(glueTypeName(CHANGE_RECORD_COLUMNS.dynamodb)).toContain('NewImage:struct<pk:struct<S:string>,sk:struct<S:string>,eventType:struct<S:string>');
  });

  it('saves the named queries in a workgroup that encrypts results and limits the bytes a query scans', () => {
    // Arrange
    const workGroup = resource(on.template, 'AWS::Athena::WorkGroup', 'AnalyticsWorkGroup');
    const saved = Object.values(on.template.findResources('AWS::Athena::NamedQuery') as Resources).map(({ Properties }) => Properties);

    // Assert
    expect(workGroup.Properties).toMatchObject({
      Name: analyticsWorkGroupName(DEPLOYMENT_CONTEXT.stage),
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF_PER_QUERY,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketId('QueryResults') }, '/results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      },
    });
    expect(saved).toEqual(
      Object.values(namedQueries({ database, table: CHANGES_TABLE })).map((query) => ({
        Name: query.name,
        Description: query.description,
        Database: database,
        WorkGroup: { Ref: workGroup.id },
        QueryString: query.sql,
      })),
    );
  });

  it('allows no action with a wildcard anywhere in the stack', () => {
    // Arrange: every Allow statement of every policy, role, bucket policy and topic policy
    const allowed: unknown[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        const statement = node as { Effect?: string; Action?: string | string[] };
        if (statement.Effect === 'Allow' && statement.Action) allowed.push(...[statement.Action].flat());
        Object.values(node).forEach(collect);
      }
    };
    collect(on.template.toJSON().Resources);

    // Assert
    expect(allowed.length).toBeGreaterThan(20);
    for (const action of allowed) expect(action).not.toContain('*');
  });

  it("offers analysts a policy for the workgroup, the Glue table and the buckets' needed prefixes", () => {
    // Arrange
    const policy = resource(on.template, 'AWS::IAM::ManagedPolicy', 'AnalyticsAnalystPolicy').Properties.PolicyDocument.Statement;

    // Assert
    expect(policy.map((statement: { Action: string | string[] }) => statement.Action).flat()).toEqual(
      expect.arrayContaining(['athena:StartQueryExecution', 'athena:GetQueryResults', 'glue:GetTable', 's3:GetObject']),
    );
    expect(policy).toContainEqual(expect.objectContaining({ Action: 's3:GetObject', Resource: objectsOf(bucketId('Changes'), 'changes/*') }));
    expect(on.template.toJSON().Outputs).toMatchObject({
      AnalyticsWorkGroupName: { Value: { Ref: resource(on.template, 'AWS::Athena::WorkGroup', 'AnalyticsWorkGroup').id } },
      AnalyticsDatabaseName: { Value: database },
      AnalyticsChangesBucketName: { Value: { Ref: bucketId('Changes') } },
      AnalystPolicyArn: { Value: { Ref: resource(on.template, 'AWS::IAM::ManagedPolicy', 'AnalyticsAnalystPolicy').id } },
    });
  });
});
