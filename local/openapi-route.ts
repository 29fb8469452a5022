import type { HttpResult } from '#lib/http/types.ts';
import type { JsonObject } from '#lib/openapi/openapi-objects.ts';

/** Where the local server answers the OpenAPI document, to anyone: it describes the API, it holds no data. */
export const OPENAPI_PATH = '/openapi.json';

let generated: JsonObject | undefined;

/**
 * The answer to GET OPENAPI_PATH: the document docs/openapi.json holds, generated as `npm run openapi`
 * generates it (loaded on the first request only: it takes the classic zod API), with this server's
 * address (`publicUrl()`, known once it listens) as its server. Its body is built once, on that request.
 */
export function createOpenApiAnswer(publicUrl: () => URL): () => Promise<HttpResult> {
  let body: string | undefined;
  return async () => {
    generated ??= (await import('#lib/openapi/openapi-document.ts')).openApiDocument();
    body ??= JSON.stringify({ ...generated, servers: [{ url: publicUrl().href.replace(/\/$/, ''), description: 'This local server.' }] });
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
      body,
    };
  };
}
