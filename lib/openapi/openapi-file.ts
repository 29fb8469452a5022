import { fileURLToPath } from 'node:url';
import type { JsonObject } from './openapi-objects.ts';

/** Where the generated document is committed. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));

/** The document as it is committed: two-space JSON and a final newline. */
export const openApiText = (document: JsonObject): string => `${JSON.stringify(document, null, 2)}\n`;
