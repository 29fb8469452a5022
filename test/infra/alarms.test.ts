import { describe, expect, it } from 'vitest';
import { routeKey } from '#lib/routes.ts';
import { TABLE_ACTIONS } from '../../infra/constructs/events-function.ts';
import { THRESHOLDS } from '../../infra/constructs/operations-alarms.ts';
import { DEFAULTS } from '../../infra/config.ts';
import { DEPLOYMENT_CONTEXT, resource, synth } from './synth.ts';

const { stack, template } = synth();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const topic = resource(template, 'AWS::SNS::Topic', 'AlarmsTopic');
const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0]!;
const alarm = (name: string) => resource(template, 'AWS::CloudWatch::Alarm', `Alarms${name}`).Properties;
const TABLE_OPERATIONS = [...new Set(Object.values(TABLE_ACTIONS).flat())].map((action) => action.replace('dynamodb:', '')).sort();

/** The metrics of a metric-math alarm, by id. */
const metricsOf = (properties: Record<string, any>): Record<string, any> =>
  Object.fromEntries((properties.Metrics as any[]).filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat.Metric]));

describe('the alarms', () => {
  it('all notify the alarm topic when they fire and when they recover', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(7);
    for (const { Properties } of alarms) {
      expect(Properties.AlarmActions).toEqual([{ Ref: topic.id }]);
      expect(Properties.OKActions).toEqual([{ Ref: topic.id }]);
      expect(Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it.each([
    ['WriterErrors', 'WriterFunction'],
    ['ReaderErrors', 'ReaderFunction'],
  ])('%s fires on any Lambda error of the function', (name, functionPrefix) => {
    expect(alarm(name)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: resource(template, 'AWS::Lambda::Function', functionPrefix).id } }],
      Statistic: 'Sum',
      Threshold: THRESHOLDS.functionErrors,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('ConsumedWriteCapacity fires at 80% of the table\'s write ceiling over a period', () => {
    expect(alarm('ConsumedWriteCapacity')).toMatchObject({
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ConsumedWriteCapacityUnits',
      Dimensions: [{ Name: 'TableName', Value: { Ref: tableId } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0.8 * DEFAULTS.tableMaxWriteUnits * 300,
    });
  });

  it("Api5xx fires on the API's 5xx answers, the writer's 503s aside (they have their rate alarm)", () => {
    const properties = alarm('Api5xx');
    const { errors, busy } = metricsOf(properties);
    expect(properties.Metrics.find((m: any) => m.Expression).Expression).toBe('errors - FILL(busy, 0)');
    expect(errors).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0] } }],
    });
    expect(busy).toEqual(metricsOf(alarm('Writer503Rate')).busy);
    expect(properties.Threshold).toBe(THRESHOLDS.api5xx);
  });

  it.each([
    ['TableThrottles', 'ThrottledRequests', THRESHOLDS.throttledPeriods],
    ['TableSystemErrors', 'SystemErrors', 1],
  ])('%s sums DynamoDB %s over every operation the functions call', (name, metricName, periods) => {
    // Arrange
    const metrics = Object.values(metricsOf(alarm(name)));

    // Assert
    expect(metrics.map((metric) => metric.Dimensions.find((d: any) => d.Name === 'Operation').Value).sort()).toEqual(TABLE_OPERATIONS);
    for (const metric of metrics) {
      expect(metric).toMatchObject({ Namespace: 'AWS/DynamoDB', MetricName: metricName });
      expect(metric.Dimensions).toContainEqual({ Name: 'TableName', Value: { Ref: tableId } });
    }
    expect(alarm(name).EvaluationPeriods).toBe(periods);
  });

  it('Writer503Rate fires when too many POSTs are answered 503, counted from the access log', () => {
    // The writer's route is the only POST route
    const postRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.RouteKey.startsWith('POST '));
    expect(postRoutes.map((r) => r.Properties.RouteKey)).toEqual([routeKey('postEvents')]);

    // Arrange
    const properties = alarm('Writer503Rate');
    const { requests, busy } = metricsOf(properties);
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    const filterOf = (metric: { MetricName: string; Namespace: string }) =>
      filters.find((f) => f.Properties.MetricTransformations[0].MetricName === metric.MetricName && f.Properties.MetricTransformations[0].MetricNamespace === metric.Namespace)!.Properties;
    const accessLogGroup = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];

    // Assert
    expect(properties.Metrics.find((m: any) => m.Expression).Expression).toBe(
      `IF(requests >= ${THRESHOLDS.writer503MinimumRequests}, 100 * FILL(busy, 0) / requests, 0)`,
    );
    expect(properties.Threshold).toBe(THRESHOLDS.writer503Percent);
    expect(filterOf(requests).LogGroupName).toEqual({ Ref: accessLogGroup });
    expect(filterOf(requests).FilterPattern).toBe('{ $.httpMethod = "POST" }');
    expect(filterOf(busy).FilterPattern).toBe('{ ($.httpMethod = "POST") && ($.status = "503") }');
    expect(requests.Namespace).toBe(`QuizSubmissionEvents/${stack.stackName}`);
  });
});

describe('the alarm topic', () => {
  it('e-mails the configured address', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: DEPLOYMENT_CONTEXT.alarmEmail, TopicArn: { Ref: topic.id } });
  });

  it('has no subscription when no address is configured', () => {
    // Act
    const { alarmEmail: _, ...withoutEmail } = DEPLOYMENT_CONTEXT;
    const { template: silent } = synth(withoutEmail);

    // Assert
    silent.resourceCountIs('AWS::SNS::Subscription', 0);
    silent.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('accepts publications from this account\'s CloudWatch alarms only, and only over TLS', () => {
    // Arrange
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::SNS::TopicPolicy')!.Properties;

    // Assert
    expect(policy.Topics).toEqual([{ Ref: topic.id }]);
    expect(policy.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
      }),
    ]);
  });
});
