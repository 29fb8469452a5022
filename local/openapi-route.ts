import type { HttpResult } from '#lib/http/types.ts';
import type { JsonObject } from '#lib/openapi/openapi-objects.ts';

/** Where the local server answers the OpenAPI document, to anyone: it describes the API, it holds no data. */
export const OPENAPI_PATH = '/openapi.json';

let generated: JsonObject | undefined;

/**
 * The document docs/openapi.json holds, generated as `npm run openapi` generates it (loaded on the
 * first request only: it takes the classic zod API), with this server's address as its server.
 */
export async function openApiAnswer(publicUrl: URL): Promise<HttpResult> {
  generated ??= (await import('#lib/openapi/openapi-document.ts')).openApiDocument();
  const servers = [{ url: publicUrl.href.replace(/\/$/, ''), description: 'This local server.' }];
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    body: JSON.stringify({ ...generated, servers }),
  };
}
