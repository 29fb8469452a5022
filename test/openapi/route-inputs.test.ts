import { readFileSync } from 'node:fs';
import { dereference } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '#lib/openapi/openapi-file.ts';
import { ROUTE_IDS, type RouteId } from '#lib/routes.ts';
import { useHandlersOnTestStore } from '../support/handlers.ts';
import { submission } from '../support/http-events.ts';

/**
 * The document lists each route's query parameters from lib/openapi/route-inputs.ts, a table beside
 * the parsers of lib/http/requests.ts. Each route must read exactly what the document lists: an
 * invalid value of a listed parameter is a 400 naming it, one of a parameter it does not list is
 * ignored.
 */

interface Parameter {
  name: string;
  in: string;
  schema: { type?: string; maxItems?: number };
}

const harness = useHandlersOnTestStore('route-inputs');
let documented: Record<RouteId, Parameter[]>;

beforeAll(async () => {
  const document = (await dereference(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')))) as unknown as {
    paths: Record<string, Record<string, { operationId: RouteId; parameters: Parameter[] }>>;
  };
  const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
  documented = Object.fromEntries(operations.map(({ operationId, parameters }) => [operationId, parameters.filter((parameter) => parameter.in === 'query')])) as typeof documented;
});

/** A value the parameter's schema refuses: one item too many for a list, text no parameter takes otherwise. */
function invalidQuery({ name, schema }: Parameter): string {
  if (schema.type !== 'array') return `${name}=${encodeURIComponent('!')}`;
  const items = Array.from({ length: schema.maxItems! + 1 }, (_, i) => `x${i}`);
  return name.endsWith('[]') ? items.map((item) => `${encodeURIComponent(name)}=${item}`).join('&') : `${name}=${items.join(',')}`;
}

const PATH = { course_id: '1', quiz_id: '2', id: 'route-inputs-1' };

const answerTo = (id: RouteId, query: string) =>
  id === 'postEvents'
    ? harness.api.postRaw(submission(PATH.id, PATH.course_id, PATH.quiz_id), { query, body: '{"quiz_submission_events":[]}' })
    : harness.api.call(id, PATH, query);

describe('the query parameters the document lists', () => {
  it.each(ROUTE_IDS)('%s reads each query parameter the document lists for it, and no other', async (id) => {
    const every = [...new Map(Object.values(documented).flat().map((parameter) => [parameter.name, parameter])).values()];
    const listed = new Set(documented[id].map((parameter) => parameter.name));
    expect(listed.size).toBeGreaterThan(0);
    for (const parameter of every) {
      // Act
      const answer = await answerTo(id, invalidQuery(parameter));

      // Assert
      const field: string | undefined = answer.json?.errors?.[0]?.field;
      if (listed.has(parameter.name)) {
        expect({ parameter: parameter.name, status: answer.status, field: field?.replace(/\[\d+\]$/, '') }).toEqual({
          parameter: parameter.name,
          status: 400,
          field: parameter.name.replace('[]', ''),
        });
      } else {
        expect({ parameter: parameter.name, status: answer.status }).not.toEqual({ parameter: parameter.name, status: 400 });
      }
    }
  });
});
