import { RemovalPolicy } from 'aws-cdk-lib';
import { type Attribute, AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { createTableInput, TTL_ATTRIBUTE } from '#lib/store/table.ts';

export interface EventsTableProps {
  /** Development stacks only: delete the table with the stack, losing every event. */
  destroyOnDelete: boolean;
}

/** The events table, declared from the one table definition the store and the local server use. */
export class EventsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, { destroyOnDelete }: EventsTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      ...keySchema(),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      // Declared even when retentionDays is 0: the functions then never write the attribute.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Events are the only record of a quiz attempt: neither a stack deletion nor a replacement
      // caused by a key change may drop them.
      deletionProtection: !destroyOnDelete,
      removalPolicy: destroyOnDelete ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
  }
}

/** The partition and sort key exactly as the shared CreateTable input declares them. */
function keySchema(): { partitionKey: Attribute; sortKey: Attribute } {
  const { KeySchema, AttributeDefinitions } = createTableInput('');
  const attribute = (keyType: 'HASH' | 'RANGE'): Attribute => {
    const name = KeySchema.find((key) => key.KeyType === keyType)!.AttributeName;
    const type = AttributeDefinitions.find((definition) => definition.AttributeName === name)!.AttributeType;
    return { name, type: ATTRIBUTE_TYPES[type] };
  };
  return { partitionKey: attribute('HASH'), sortKey: attribute('RANGE') };
}

const ATTRIBUTE_TYPES: Record<'S' | 'N' | 'B', AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};
