import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTableInput, TTL_ATTRIBUTE } from '#lib/store/table.ts';
import { DEFAULTS } from '../../infra/config.ts';
import { DEPLOYMENT_CONTEXT, synth } from './synth.ts';

const { template } = synth();
const table = () => Object.values(template.findResources('AWS::DynamoDB::Table'))[0]!;

describe('the events table', () => {
  it('is the only table, keyed exactly as the shared table definition says', () => {
    // Arrange
    const { KeySchema, AttributeDefinitions } = createTableInput('events');

    // Assert
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(table().Properties.KeySchema).toEqual(KeySchema);
    expect(table().Properties.AttributeDefinitions).toEqual(AttributeDefinitions);
  });

  it('bills on demand, with no capacity to manage', () => {
    expect(table().Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table().Properties.ProvisionedThroughput).toBeUndefined();
  });

  it('has a ceiling on its on-demand throughput, from the configuration: what abuse can cost is bounded', () => {
    expect(table().Properties.OnDemandThroughput).toEqual({ MaxWriteRequestUnits: DEFAULTS.tableMaxWriteUnits, MaxReadRequestUnits: DEFAULTS.tableMaxReadUnits });
    const { template: configured } = synth({ ...DEPLOYMENT_CONTEXT, tableMaxWriteUnits: '800', tableMaxReadUnits: '300' });
    expect(Object.values(configured.findResources('AWS::DynamoDB::Table'))[0]!.Properties.OnDemandThroughput).toEqual({ MaxWriteRequestUnits: 800, MaxReadRequestUnits: 300 });
  });

  it('keeps point-in-time recovery on', () => {
    expect(table().Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('cannot be deleted, and survives both stack deletion and replacement', () => {
    expect(table().Properties.DeletionProtectionEnabled).toBe(true);
    expect(table().DeletionPolicy).toBe('Retain');
    expect(table().UpdateReplacePolicy).toBe('Retain');
  });

  it('declares the shared TTL attribute', () => {
    expect(table().Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it('is encrypted with the AWS-managed DynamoDB key', () => {
    // SSEEnabled without a key id is the aws/dynamodb key; absent would be the AWS-owned key.
    expect(table().Properties.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it('a development stack may opt out of retention, and only explicitly', () => {
    // Act
    const { template: development } = synth({ ...DEPLOYMENT_CONTEXT, destroyOnDelete: 'true' });

    // Assert
    development.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });
});
