import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '#lib/store/table.ts';

export interface EventsTableProps {
  /** Development stacks only: delete the table with the stack, losing every event. */
  destroyOnDelete: boolean;
  /** On-demand ceilings, in request units per second: what a flood can cost is bounded. */
  maxWriteUnits: number;
  maxReadUnits: number;
  /** Publish every change's new image on a DynamoDB stream (the analytics path reads it). */
  changeStream?: boolean;
}

/** The events table, declared from the one table definition the store and the local server use. */
export class EventsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, { destroyOnDelete, maxWriteUnits, maxReadUnits, changeStream = false }: EventsTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      // String keys, as createTableInput declares them for the local store and the tests.
      partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      maxWriteRequestUnits: maxWriteUnits,
      maxReadRequestUnits: maxReadUnits,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // Declared even when retentionDays is 0: the functions then never write the attribute.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Events are the only record of a quiz attempt: neither a stack deletion nor a replacement
      // caused by a key change may drop them.
      deletionProtection: !destroyOnDelete,
      removalPolicy: destroyOnDelete ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      ...(changeStream && { stream: StreamViewType.NEW_IMAGE }),
    });
  }
}
