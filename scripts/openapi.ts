import { writeFileSync } from 'node:fs';
import { openApiDocument } from '#lib/openapi/openapi-document.ts';
import { OPENAPI_FILE, openApiText } from '#lib/openapi/openapi-file.ts';

/** `npm run openapi`: writes the OpenAPI document to docs/openapi.json (a test fails while the committed one differs). */
writeFileSync(OPENAPI_FILE, openApiText(openApiDocument()));
console.log(`Wrote ${OPENAPI_FILE}`);
