import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { ManagedPolicy, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { LogGroup, LogStream, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, type LifecycleRule, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CHANGE_FILTER_PATTERNS, CHANGE_RECORD_COLUMNS, glueTypeName } from '../analytics/change-records.ts';
import { namedQueries } from '../analytics/named-queries.ts';
import { notifyingAlarm } from './operations-alarms.ts';
import {
  CHANGES_FOLDER,
  DELIVERY_ERRORS_FOLDER,
  FIREHOSE_BUFFER,
  FIREHOSE_ERROR_PREFIX,
  FIREHOSE_PREFIX,
  PARTITION_COLUMN,
  PIPE_BATCH,
  PROJECTION_RANGE,
} from '../analytics/storage-layout.ts';

export interface AnalyticsProps {
  /** The events table, with its change stream on. */
  table: ITable;
  /** Names the Glue database and the Athena workgroup, so that several stages can share an account. */
  stage: string;
  /** The table's retention: change records expire from S3 after as many days (0 keeps them). */
  retentionDays: number;
  /** The stack's alarm topic, told when changes stop reaching S3. */
  alarmTopic: ITopic;
}

/** The Glue table over the change records. */
export const CHANGES_TABLE = 'item_changes';

/**
 * Athena stops a query once it has scanned this much: $0.10 at $5 per TB. A term of 10⁸ events is
 * about 6.5 GB of gzipped change records (65 bytes an event, measured; docs/analytics.md), so a
 * query over three such terms still runs.
 */
export const BYTES_SCANNED_CUTOFF_PER_QUERY = 20 * 1024 ** 3;

/**
 * When the path's alarms fire. Both the stream and Firehose keep a record 24 hours while delivery
 * fails, so these leave most of a day to act before changes are lost to S3 (the table keeps them).
 */
export const ANALYTICS_ALARMS = {
  /** The pipe retries a failed batch until its records leave the stream; failures 3 periods in a row are no blip. */
  pipeFailurePeriods: 3,
  /** Firehose's oldest undelivered record; normal is the 5-minute buffer plus the pipe's minute. */
  deliveryAgeSeconds: 3600,
  period: Duration.minutes(5),
} as const;

/** How long things that are not events stay. */
const KEEP = {
  queryResults: Duration.days(30),
  deliveryErrors: Duration.days(90),
  accessLogs: Duration.days(90),
  /** Change records move to S3 Intelligent-Tiering after this (Athena reads every tier it uses by default). */
  beforeIntelligentTiering: Duration.days(30),
  incompleteUploads: Duration.days(1),
} as const;

export const analyticsDatabaseName = (stage: string) => `quiz_submission_events_${stage.toLowerCase().replaceAll('-', '_')}`;
export const analyticsWorkGroupName = (stage: string) => `quiz-submission-events-${stage}`;

/**
 * The optional analytics path (docs/analytics.md): the table's change stream → an EventBridge pipe,
 * which drops the items analysts do not need → Firehose, which writes gzipped JSON lines to S3 by
 * day → a Glue table with partition projection → an Athena workgroup with its named queries.
 * No function of ours runs in it.
 */
export class Analytics extends Construct {
  readonly bucket: Bucket;
  readonly resultsBucket: Bucket;
  readonly workGroup: CfnWorkGroup;
  readonly database: CfnDatabase;
  readonly changesTable: CfnTable;

  constructor(scope: Construct, id: string, { table, stage, retentionDays, alarmTopic }: AnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!table.tableStreamArn) throw new Error('The analytics path reads the table\'s change stream: turn it on (EventsTable changeStream).');

    const accessLogs = this.bucket_('AccessLogs', [{ expiration: KEEP.accessLogs }]);
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the analytics buckets; logging it into itself would log its own log deliveries without end.',
    });
    this.bucket = this.bucket_(
      'Changes',
      [
        {
          prefix: `${CHANGES_FOLDER}/`,
          transitions: [{ storageClass: StorageClass.INTELLIGENT_TIERING, transitionAfter: KEEP.beforeIntelligentTiering }],
          // The table's TTL deletes an event retentionDays after it was written; its change record,
          // written minutes later, goes as long after.
          ...(retentionDays > 0 && { expiration: Duration.days(retentionDays) }),
        },
        { prefix: `${DELIVERY_ERRORS_FOLDER}/`, expiration: KEEP.deliveryErrors },
      ],
      accessLogs,
    );
    this.resultsBucket = this.bucket_('QueryResults', [{ expiration: KEEP.queryResults }], accessLogs);

    const delivery = this.deliveryStream();
    const pipe = this.pipe(table.tableStreamArn, delivery);
    this.alarms(pipe, delivery, alarmTopic);

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: analyticsDatabaseName(stage), description: 'Quiz submission events: the changes of the items analysts need' },
    });
    this.changesTable = this.glueTable(analyticsDatabaseName(stage));
    this.changesTable.node.addDependency(this.database);

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: analyticsWorkGroupName(stage),
      description: 'Quiz submission events analytics: encrypted results, a per-query scan limit',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF_PER_QUERY,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: stack.account,
        },
      },
    });
    for (const [key, query] of Object.entries(namedQueries({ database: analyticsDatabaseName(stage), table: CHANGES_TABLE }))) {
      const named = new CfnNamedQuery(this, `Query-${key}`, {
        name: query.name,
        description: query.description,
        database: analyticsDatabaseName(stage),
        workGroup: this.workGroup.ref,
        queryString: query.sql,
      });
      named.node.addDependency(this.changesTable);
    }

    const analysts = this.analystPolicy(analyticsDatabaseName(stage));
    const outputs = {
      AnalyticsWorkGroupName: { value: this.workGroup.ref, description: 'The Athena workgroup with the named queries' },
      AnalyticsDatabaseName: { value: analyticsDatabaseName(stage), description: `The Glue database; the table is ${CHANGES_TABLE}` },
      AnalyticsChangesBucketName: { value: this.bucket.bucketName, description: 'The change records, by day (retained on stack deletion)' },
      AnalystPolicyArn: { value: analysts.managedPolicyArn, description: "Attach to the analysts' roles: run queries in the workgroup" },
    };
    // Named as they are in the README, not after the construct path.
    for (const [name, props] of Object.entries(outputs)) new CfnOutput(this, name, props).overrideLogicalId(name);
  }

  /** A private bucket: SSE-S3, TLS only, its own objects, access-logged, kept when the stack goes. */
  private bucket_(id: string, lifecycleRules: LifecycleRule[], accessLogs?: Bucket): Bucket {
    return new Bucket(this, id, {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [...lifecycleRules, { abortIncompleteMultipartUploadAfter: KEEP.incompleteUploads }],
      ...(accessLogs && { serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: `${id}/` }),
      // Emptying a bucket on deletion would take a custom resource, a function; and these hold
      // the quiz events too.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Firehose: batches of records, one per line, gzipped, into the day of their arrival. */
  private deliveryStream(): CfnDeliveryStream {
    const stack = Stack.of(this);
    const logs = new LogGroup(this, 'DeliveryLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const logStream = new LogStream(this, 'DeliveryLogStream', { logGroup: logs, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'DeliveryRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': stack.account } } }),
      description: 'Firehose: write change records and delivery errors to the analytics bucket, and log its errors',
    });
    // The actions Firehose documents for an S3 destination, on this bucket's two prefixes only. A policy
    // of its own, so that the stream is created only once the role may write.
    const policy = new Policy(this, 'DeliveryPolicy', {
      roles: [role],
      statements: [
        new PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.bucket.bucketArn] }),
        new PolicyStatement({
          actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          resources: [this.bucket.arnForObjects(`${CHANGES_FOLDER}/*`), this.bucket.arnForObjects(`${DELIVERY_ERRORS_FOLDER}/*`)],
        }),
        new PolicyStatement({
          actions: ['logs:PutLogEvents'],
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${logs.logGroupName}:log-stream:${logStream.logStreamName}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      ],
    });
    acknowledgeObjectWildcards(policy, this.bucket, [`${CHANGES_FOLDER}/*`, `${DELIVERY_ERRORS_FOLDER}/*`], 'Firehose writes objects under names it makes up, below these two prefixes of the analytics bucket only.');

    const delivery = new CfnDeliveryStream(this, 'Delivery', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: FIREHOSE_PREFIX,
        errorOutputPrefix: FIREHOSE_ERROR_PREFIX,
        bufferingHints: { intervalInSeconds: FIREHOSE_BUFFER.intervalSeconds, sizeInMBs: FIREHOSE_BUFFER.sizeMiB },
        compressionFormat: 'GZIP',
        // One JSON object per line, as Athena's JSON SerDe reads them: a setting of Firehose, no function.
        processingConfiguration: { enabled: true, processors: [{ type: 'AppendDelimiterToRecord' }] },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: logs.logGroupName, logStreamName: logStream.logStreamName },
      },
    });
    delivery.node.addDependency(policy);
    return delivery;
  }

  /** The pipe from the table's stream to Firehose, dropping what analysts do not need. */
  private pipe(streamArn: string, delivery: CfnDeliveryStream): CfnPipe {
    const stack = Stack.of(this);
    const role = new Role(this, 'PipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: "EventBridge pipe: read the events table's change stream, put records into the analytics Firehose stream",
    });
    const policy = new Policy(this, 'PipePolicy', {
      roles: [role],
      statements: [
        new PolicyStatement({ actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [streamArn] }),
        new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
        new PolicyStatement({ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [delivery.attrArn] }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams, which EventBridge Pipes requires of a DynamoDB stream source, supports no resource-level permission; it lists stream ARNs, no data.',
    });

    const pipe = new CfnPipe(this, 'Pipe', {
      description: 'Changes of event and submission items, into Firehose',
      roleArn: role.roleArn,
      source: streamArn,
      target: delivery.attrArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          // A new stream's records from its start: nothing written before the pipe ran is skipped.
          startingPosition: 'TRIM_HORIZON',
          batchSize: PIPE_BATCH.size,
          maximumBatchingWindowInSeconds: PIPE_BATCH.windowSeconds,
          // A batch Firehose refuses (one call takes at most 4 MiB) is split in halves and retried.
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
        },
        filterCriteria: { filters: CHANGE_FILTER_PATTERNS.map((pattern) => ({ pattern: JSON.stringify(pattern) })) },
      },
    });
    pipe.node.addDependency(policy);
    return pipe;
  }

  /** Changes that stop on their way to S3: the pipe failing, or Firehose not delivering. */
  private alarms(pipe: CfnPipe, delivery: CfnDeliveryStream, topic: ITopic): void {
    const { period } = ANALYTICS_ALARMS;
    notifyingAlarm(this, 'PipeFailures', {
      description: "The analytics pipe failed to put the table's changes into Firehose for 3 periods in a row; records older than 24 hours leave the stream.",
      // A pipe's Ref is its name; a delivery stream's too.
      metric: new Metric({ namespace: 'AWS/EventBridge/Pipes', metricName: 'ExecutionFailed', dimensionsMap: { PipeName: pipe.ref }, statistic: 'Sum', period }),
      threshold: 1,
      evaluationPeriods: ANALYTICS_ALARMS.pipeFailurePeriods,
      topic,
    });
    notifyingAlarm(this, 'DeliveryDelay', {
      description: `Firehose has held a change for ${ANALYTICS_ALARMS.deliveryAgeSeconds / 60} minutes or more without delivering it to S3; it gives up after 24 hours.`,
      metric: new Metric({ namespace: 'AWS/Firehose', metricName: 'DeliveryToS3.DataFreshness', dimensionsMap: { DeliveryStreamName: delivery.ref }, statistic: 'Maximum', period }),
      threshold: ANALYTICS_ALARMS.deliveryAgeSeconds,
      topic,
    });
  }

  /** What an analyst needs to run queries in the workgroup, and nothing else. */
  private analystPolicy(databaseName: string): ManagedPolicy {
    const stack = Stack.of(this);
    const glue = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, ...(resourceName && { resourceName }) });
    const resultObjects = 'results/*';
    const policy = new ManagedPolicy(this, 'AnalystPolicy', {
      description: 'Run queries in the quiz submission events analytics workgroup, and read their results',
      statements: [
        new PolicyStatement({
          actions: [
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:BatchGetQueryExecution',
            'athena:ListQueryExecutions',
            'athena:GetWorkGroup',
            'athena:GetNamedQuery',
            'athena:BatchGetNamedQuery',
            'athena:ListNamedQueries',
          ],
          resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.ref })],
        }),
        new PolicyStatement({
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          resources: [glue('catalog'), glue('database', databaseName), glue('table', `${databaseName}/${CHANGES_TABLE}`)],
        }),
        new PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket'], resources: [this.bucket.bucketArn, this.resultsBucket.bucketArn] }),
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${CHANGES_FOLDER}/*`)] }),
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [this.resultsBucket.arnForObjects(resultObjects)],
        }),
      ],
    });
    acknowledgeObjectWildcards(policy, this.bucket, [`${CHANGES_FOLDER}/*`], 'Queries read every change record under this prefix; their names are made up by Firehose.');
    acknowledgeObjectWildcards(policy, this.resultsBucket, [resultObjects], 'Athena writes and reads query results under this prefix, under names it makes up.');
    return policy;
  }

  /** The change records as a table: columns from the table module, days by partition projection (no crawler). */
  private glueTable(databaseName: string): CfnTable {
    const stack = Stack.of(this);
    const location = this.bucket.s3UrlForObject(`${CHANGES_FOLDER}/`);
    return new CfnTable(this, 'ChangesTable', {
      catalogId: stack.account,
      databaseName,
      tableInput: {
        name: CHANGES_TABLE,
        description: 'One row per change of an event or submission item: DynamoDB Streams records, as delivered by Firehose',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          EXTERNAL: 'TRUE',
          classification: 'json',
          compressionType: 'gzip',
          'projection.enabled': 'true',
          [`projection.${PARTITION_COLUMN}.type`]: 'date',
          [`projection.${PARTITION_COLUMN}.format`]: 'yyyy-MM-dd',
          [`projection.${PARTITION_COLUMN}.range`]: PROJECTION_RANGE,
          [`projection.${PARTITION_COLUMN}.interval`]: '1',
          [`projection.${PARTITION_COLUMN}.interval.unit`]: 'DAYS',
          'storage.location.template': `${location}${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/`,
        },
        partitionKeys: [{ name: PARTITION_COLUMN, type: 'string', comment: 'UTC day the record reached Firehose (yyyy-MM-dd)' }],
        storageDescriptor: {
          location,
          columns: Object.entries(CHANGE_RECORD_COLUMNS).map(([name, type]) => ({ name: name.toLowerCase(), type: glueTypeName(type) })),
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
        },
      },
    });
  }
}

/** cdk-nag's IAM5 findings for object ARNs under a bucket's prefixes, acknowledged one by one with a reason. */
function acknowledgeObjectWildcards(scope: Construct, bucket: Bucket, patterns: string[], reason: string): void {
  const logicalId = Stack.of(scope).getLogicalId(bucket.node.defaultChild as CfnBucket);
  Validations.of(scope).acknowledge(...patterns.map((pattern) => ({ id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${pattern}]`, reason })));
}
