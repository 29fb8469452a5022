import { loadConfig } from './config.ts';
import type { HandlerDependencies } from './handlers/dependencies.ts';
import { createDocumentClient } from './store/document-client.ts';
import { createDynamoDbEventStore } from './store/dynamodb-event-store.ts';

/** Built once per Lambda instance, at import: configuration errors fail the cold start. */
export const config = loadConfig();

export const runtimeDependencies: HandlerDependencies = {
  store: createDynamoDbEventStore({
    client: createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }),
    tableName: config.TABLE_NAME,
    retentionDays: config.RETENTION_DAYS,
  }),
  courseClaim: config.COURSE_CLAIM,
  submissionClaim: config.SUBMISSION_CLAIM,
};
