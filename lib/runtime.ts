import { loadConfig } from './config.ts';
import { createDocumentClient } from './store/document-client.ts';
import { createEventStore } from './store/event-store.ts';

/** Built once per Lambda instance (or local server), at import: configuration errors fail the cold start. */
export const config = loadConfig();

export const documentClient = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });

export const eventStore = createEventStore({
  client: documentClient,
  tableName: config.TABLE_NAME,
  retentionDays: config.RETENTION_DAYS,
});
