import { readFileSync } from 'node:fs';
import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { canvasScope } from '#lib/auth/scopes.ts';
import { openApiDocument, SECURITY_SCHEME } from '#lib/openapi/openapi-document.ts';
import type { JsonObject } from '#lib/openapi/openapi-objects.ts';
import { OPENAPI_FILE, openApiText } from '#lib/openapi/openapi-file.ts';
import { ROUTE_IDS, ROUTES } from '#lib/routes.ts';

const committed = readFileSync(OPENAPI_FILE, 'utf8');
const document = JSON.parse(committed) as JsonObject & { paths: Record<string, Record<string, JsonObject>>; components: Record<string, Record<string, JsonObject>> };

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

describe('the OpenAPI document', () => {
  it('docs/openapi.json is what npm run openapi generates from the code now', () => {
    expect(committed, 'run npm run openapi and commit docs/openapi.json').toBe(openApiText(openApiDocument()));
  });

  it('is valid OpenAPI 3.1 by @readme/openapi-parser', async () => {
    // Act
    const result = await validate(structuredClone(document) as never);

    // Assert
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('would be refused by the validator with an operation that drops a path parameter (the check sees the document)', async () => {
    // Arrange
    const broken = structuredClone(document);
    const post = broken.paths[ROUTES.postEvents.path]!.post!;
    post.parameters = (post.parameters as JsonObject[]).slice(1);

    // Act
    const result = await validate(broken as never);

    // Assert
    expect(result.valid).toBe(false);
  });

  it('has one operation per route of the route table, named by its id, with its path, summary and Canvas scope', () => {
    expect(operations().map(({ operation }) => operation.operationId).sort()).toEqual([...ROUTE_IDS].sort());
    for (const { path, method, operation } of operations()) {
      const route = ROUTES[operation.operationId as keyof typeof ROUTES];
      expect({ path, method, summary: operation.summary }).toEqual({ path: route.path, method: route.method.toLowerCase(), summary: route.summary });
      expect(operation.security).toEqual([{ [SECURITY_SCHEME]: [canvasScope(operation.operationId as keyof typeof ROUTES)] }]);
    }
    expect(document.components.securitySchemes![SECURITY_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('declares every path template parameter of every route as a required path parameter with the id pattern', async () => {
    const resolved = (await dereference(structuredClone(document) as never)) as unknown as typeof document;
    for (const [path, methods] of Object.entries(resolved.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(methods)) {
        const inPath = (operation.parameters as JsonObject[]).filter((parameter) => parameter.in === 'path');
        expect(inPath.map((parameter) => parameter.name)).toEqual(templated);
        for (const parameter of inPath) expect(parameter).toMatchObject({ required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:~-]{1,128}$' } });
      }
    }
  });

  it("describes a list parameter in both of the forms the API reads: Canvas's name[]=a&name[]=b and name=a,b", async () => {
    const resolved = (await dereference(structuredClone(document) as never)) as unknown as typeof document;
    const getQuizEvents = resolved.paths[ROUTES.getQuizEvents.path]!.get!;
    const named = (name: string) => (getQuizEvents.parameters as JsonObject[]).find((parameter) => parameter.name === name);
    expect(named('event_types[]')).toMatchObject({ in: 'query', style: 'form', explode: true, schema: { type: 'array', maxItems: 50 } });
    expect(named('event_types')).toMatchObject({ in: 'query', style: 'form', explode: false, schema: { type: 'array', maxItems: 50 } });
    expect(named('submission_ids[]')).toMatchObject({ schema: { type: 'array', maxItems: 100 } });
  });

  it('takes the POST body as JSON, a urlencoded form or a multipart form', () => {
    const post = document.paths[ROUTES.postEvents.path]!.post!;
    expect(Object.keys((post.requestBody as { content: object }).content)).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
  });

  it('holds only JSON Schema 2020-12 that compiles strictly, and every example matches its schema', async () => {
    // Arrange: each schema with its $refs resolved, so that it compiles on its own
    const resolved = (await dereference(structuredClone(document) as never)) as unknown as typeof document;
    const ajv = new Ajv2020({ strict: true, validateFormats: false });
    let examples = 0;

    // Act / Assert
    for (const [name, schema] of Object.entries(resolved.components.schemas!)) {
      const validator = ajv.compile(schema);
      for (const example of (schema.examples ?? []) as unknown[]) {
        examples++;
        expect(validator(example), `${name}: ${ajv.errorsText(validator.errors)}`).toBe(true);
      }
    }
    expect(examples).toBeGreaterThanOrEqual(4);
  });
});
