/**
 * Checks one answer of a route against the committed OpenAPI document (docs/openapi.json): its status
 * is documented for the operation, its required headers are there and every documented header it
 * carries matches, and its body is of the documented media type and matches that schema (JSON Schema
 * 2020-12, by ajv). Loaded only once a test receives an answer (test/support/openapi-answers.ts).
 */
import { readFileSync } from 'node:fs';
import { dereference } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { OPENAPI_FILE } from '#lib/openapi/openapi-file.ts';
import { ROUTES, type RouteId } from '#lib/routes.ts';

export interface ReceivedAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
}

interface SchemaHolder {
  schema: object;
}
interface DocumentedResponse {
  headers?: Record<string, SchemaHolder & { required?: boolean }>;
  content?: Record<string, SchemaHolder>;
}
interface Operation {
  responses: Record<string, DocumentedResponse>;
}

// Every $ref replaced by what it points to: each schema then compiles on its own.
const document = (await dereference(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')))) as unknown as { paths: Record<string, Record<string, Operation>> };

// Formats are annotations here: the document's patterns say exactly what the API writes.
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
const compiled = new Map<object, ValidateFunction>();

function validate(schema: object, value: unknown): string | undefined {
  let validator = compiled.get(schema);
  if (!validator) compiled.set(schema, (validator = ajv.compile(schema)));
  return validator(value) ? undefined : ajv.errorsText(validator.errors, { dataVar: 'body' });
}

/** What is wrong with an answer of a route, by the document; empty when nothing is. */
export function violationsOf(route: RouteId, answer: ReceivedAnswer): string[] {
  const { method, path } = ROUTES[route];
  const response = document.paths[path]?.[method.toLowerCase()]?.responses[String(answer.status)];
  if (!response) return [`${answer.status} is not a documented answer of ${route}`];
  const problems: string[] = [];
  for (const [name, { required, schema }] of Object.entries(response.headers ?? {})) {
    const value = answer.headers[name.toLowerCase()];
    if (value === undefined) {
      if (required) problems.push(`the ${name} header is missing`);
    } else {
      const problem = validate(schema, value);
      if (problem) problems.push(`${name}: ${JSON.stringify(value)}: ${problem}`);
    }
  }
  const contentType = answer.headers['content-type'];
  if (!response.content) {
    if (answer.body !== '' || contentType !== undefined) problems.push(`a body (${contentType}) where the document has none`);
    return problems;
  }
  const mediaType = contentType?.split(';', 1)[0]!.trim().toLowerCase();
  const content = mediaType === undefined ? undefined : response.content[mediaType];
  if (!content) return [...problems, `content type ${contentType} is not one of ${Object.keys(response.content).join(', ')}`];
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return [...problems, `the body is not JSON: ${answer.body.slice(0, 200)}`];
  }
  const problem = validate(content.schema, body);
  return problem ? [...problems, `${problem} in ${answer.body.slice(0, 300)}`] : problems;
}
