import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITable, Operation } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ROUTES } from '#lib/routes.ts';
import { TABLE_ACTIONS } from './events-function.ts';

export interface OperationsAlarmsProps {
  writer: IFunction;
  reader: IFunction;
  api: HttpApi;
  accessLogs: ILogGroup;
  table: ITable;
  /** The table's on-demand write ceiling per second. */
  maxWriteUnits: number;
  /** Subscribed to the alarm topic when set. */
  alarmEmail?: string | undefined;
}

const PERIOD = Duration.minutes(5);
/** The writer's route is the API's only route of its method, so the method tells its requests apart. */
const WRITER_METHOD = ROUTES.postEvents.method;

/** Thresholds, per 5-minute period unless said otherwise. */
export const THRESHOLDS = {
  /** The handlers answer every error themselves, so any Lambda error is a crash, a timeout or a failed start. */
  functionErrors: 1,
  /** 5xx other than the writer's 503s (those have their rate alarm): bugs, a handful is worth a look. */
  api5xx: 5,
  /** The SDK and the batch writer retry throttles; alarm when it lasts 3 periods in a row. */
  throttledRequests: 1,
  throttledPeriods: 3,
  dynamoSystemErrors: 1,
  /** Percent of POSTs answered 503 (storage still busy after retries)… */
  writer503Percent: 1,
  /** …counted only once there are this many POSTs in the period, so that one 503 at night is no alarm. */
  writer503MinimumRequests: 20,
  /** Percent of the table's write ceiling consumed over a period: writes near it are throttled next. */
  consumedWritePercent: 80,
} as const;

/** Every DynamoDB operation the functions call: the ones whose throttles and errors matter. */
const TABLE_OPERATIONS = [...new Set(Object.values(TABLE_ACTIONS).flat())].map(
  (action) => action.replace('dynamodb:', '') as Operation,
);

/** Alarms on the functions, the API and the table, into one SNS topic (e-mailed when an address is configured). */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Not encrypted: notifications carry alarm names, states and metric values, no student data, and
    // the AWS-managed aws/sns key would not let CloudWatch publish at all.
    this.topic = new Topic(this, 'Topic', { displayName: `${stack.stackName} alarms`, enforceSSL: true });
    // enforceSSL replaces the topic's default policy, which is what let CloudWatch publish to it.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.alarm('WriterErrors', 'The writer function failed (crash, timeout or failed start).', props.writer.metricErrors({ period: PERIOD, statistic: 'Sum' }), THRESHOLDS.functionErrors);
    this.alarm('ReaderErrors', 'The reader function failed (crash, timeout or failed start).', props.reader.metricErrors({ period: PERIOD, statistic: 'Sum' }), THRESHOLDS.functionErrors);
    const writer = this.writerAnswers(props.accessLogs);
    const api5xxBesideWriter503s = new MathExpression({
      expression: 'errors - FILL(busy, 0)',
      usingMetrics: { errors: props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }), busy: writer.busy },
      label: "5xx answers, without the writer's 503s",
      period: PERIOD,
    });
    this.alarm('Api5xx', "The API answered 5xx (the writer's 503s aside).", api5xxBesideWriter503s, THRESHOLDS.api5xx);
    this.alarm(
      'TableThrottles',
      'DynamoDB throttled the functions\' requests for 3 periods in a row.',
      props.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
      THRESHOLDS.throttledRequests,
      THRESHOLDS.throttledPeriods,
    );
    this.alarm(
      'TableSystemErrors',
      'DynamoDB answered the functions with internal errors.',
      props.table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
      THRESHOLDS.dynamoSystemErrors,
    );
    const writer503Percent = new MathExpression({
      expression: `IF(requests >= ${THRESHOLDS.writer503MinimumRequests}, 100 * FILL(busy, 0) / requests, 0)`,
      usingMetrics: { requests: writer.requests, busy: writer.busy },
      label: 'POSTs answered 503 (%)',
      period: PERIOD,
    });
    this.alarm(
      'ConsumedWriteCapacity',
      `The table consumed ${THRESHOLDS.consumedWritePercent}% or more of its write ceiling: heavy use, or abuse, before writes are throttled.`,
      props.table.metricConsumedWriteCapacityUnits({ period: PERIOD, statistic: 'Sum' }),
      (THRESHOLDS.consumedWritePercent / 100) * props.maxWriteUnits * PERIOD.toSeconds(),
    );
    this.alarm('Writer503Rate', `${THRESHOLDS.writer503Percent}% or more of POSTs answered 503: storage still throttled after retries.`, writer503Percent, THRESHOLDS.writer503Percent);
  }

  /** The POSTs the gateway answered, and those answered 503, counted from its access log. */
  private writerAnswers(accessLogs: ILogGroup): { requests: IMetric; busy: IMetric } {
    const namespace = `QuizSubmissionEvents/${Stack.of(this).stackName}`;
    // The writer's route is the API's only POST route. (Matching on the method keeps the pattern free of
    // the route key's braces.)
    const isPost = FilterPattern.stringValue('$.httpMethod', '=', WRITER_METHOD);
    const counter = (id: string, metricName: string, filterPattern: ReturnType<typeof FilterPattern.all>) =>
      new MetricFilter(this, id, { logGroup: accessLogs, metricNamespace: namespace, metricName, filterPattern, metricValue: '1', defaultValue: 0 })
        .metric({ period: PERIOD, statistic: 'Sum' });
    return {
      requests: counter('WriterRequests', 'WriterRequests', FilterPattern.all(isPost)),
      busy: counter('Writer503s', 'Writer503s', FilterPattern.all(isPost, FilterPattern.stringValue('$.status', '=', '503'))),
    };
  }

  private alarm(id: string, description: string, metric: IMetric, threshold: number, evaluationPeriods = 1): void {
    this.alarms.push(notifyingAlarm(this, id, { description, metric, threshold, evaluationPeriods, topic: this.topic }));
  }
}

export interface NotifyingAlarmProps {
  description: string;
  metric: IMetric;
  /** Fires at this value or above. */
  threshold: number;
  /** Periods in a row at or above the threshold; 1 unless said. */
  evaluationPeriods?: number;
  /** Told when the alarm fires and when it recovers. */
  topic: ITopic;
}

/** An alarm named after the stack and its id, as every alarm of the stack is, that notifies the alarm topic both ways. */
export function notifyingAlarm(scope: Construct, id: string, { description, metric, threshold, evaluationPeriods = 1, topic }: NotifyingAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmName: `${Stack.of(scope).stackName}-${id}`,
    alarmDescription: description,
    metric,
    threshold,
    evaluationPeriods,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  alarm.addOkAction(new SnsAction(topic));
  return alarm;
}
