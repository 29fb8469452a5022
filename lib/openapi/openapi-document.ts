/**
 * The OpenAPI 3.1 description of the API, generated from the route table (lib/routes.ts), the input
 * schemas every route validates with (lib/domain/schemas.ts, via route-inputs.ts), the response
 * schemas (response-schemas.ts) and the scopes (lib/auth/scopes.ts). `npm run openapi` writes it to
 * docs/openapi.json; the local server answers it at GET /openapi.json.
 */
import * as z from 'zod';
import { canvasScope } from '#lib/auth/scopes.ts';
import { ROUTE_IDS, ROUTES, type RouteId } from '#lib/routes.ts';
import { BODY_FIELD_DESCRIPTIONS, listParameterDescription, parameterDescription } from './parameter-descriptions.ts';
import { RESPONSE_SCHEMAS } from './response-schemas.ts';
import { ROUTE_INPUTS } from './route-inputs.ts';
import { HEADERS, routeResponses } from './route-responses.ts';
import { componentRef, JSON_MEDIA_TYPE, type JsonObject } from './openapi-objects.ts';
import { sharedParameters, sharedResponses } from './shared-components.ts';


export const OPENAPI_VERSION = '3.1.1';
export const SECURITY_SCHEME = 'bearerJwt';
const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'] as const;

/** zod's JSON Schema, as a Schema Object inside the document: no `$schema` or `$id` of its own. */
function embedded(json: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...schema } = json;
  return schema;
}

/**
 * An input schema as JSON Schema, from its input side: the schemas are pipes into transforms (ids
 * renamed, texts parsed into times and numbers), and what a client sends is what goes into the pipe.
 * Refinements and transforms have no JSON Schema form and are left out; the descriptions say what
 * they check. A transform on the input side would throw here ('unrepresentable' stays 'throw').
 */
const inputJsonSchema = (schema: z.core.$ZodType): JsonObject => embedded(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonObject);

function responseComponents(): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  if ('__shared' in schemas) throw new Error('A response schema is shared without a name: add it to RESPONSE_SCHEMAS.');
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, embedded(schema as JsonObject)]));
}

/** The POST body as read from any media type, with what its refinements check in words. */
function eventBatchSchema(): JsonObject {
  const schema = inputJsonSchema(ROUTE_INPUTS.postEvents.body);
  const properties = schema.properties as Record<string, JsonObject>;
  const eventProperties = (properties.quiz_submission_events!.items as JsonObject).properties as Record<string, JsonObject>;
  for (const [path, description] of Object.entries(BODY_FIELD_DESCRIPTIONS)) {
    const [first, second] = path.split('.') as [string, string | undefined];
    const property = second === undefined ? properties[first] : eventProperties[second];
    if (!property) throw new Error(`The body has no field ${path}`);
    property.description = description;
  }
  return {
    ...schema,
    description: 'A batch of one submission\'s events. Other keys, in the body or in an event, are ignored.',
    examples: [
      {
        quiz_submission_events: [
          { client_timestamp: '2014-10-08T19:29:58.123Z', event_type: 'question_flagged', event_data: { questionId: '1', flagged: true } },
        ],
      },
    ],
  };
}

/** A route that reads per_page (ROUTE_INPUTS gives its maxPerPage; parameters() checks) answers page by page, with a Link header. */
const isPaged = (id: RouteId): boolean => 'maxPerPage' in ROUTE_INPUTS[id];

function parameters(id: RouteId): JsonObject[] {
  const inputs = ROUTE_INPUTS[id];
  const path = inputJsonSchema(inputs.path);
  const query = inputJsonSchema(inputs.query);
  const maxPerPage = 'maxPerPage' in inputs ? inputs.maxPerPage : undefined;
  const queryProperties = Object.entries((query.properties ?? {}) as Record<string, JsonObject>);
  if (queryProperties.some(([name]) => name === 'per_page') !== isPaged(id)) {
    throw new Error(`${id}: give maxPerPage in ROUTE_INPUTS exactly when the route reads per_page`);
  }
  const pathParameters = Object.entries(path.properties as Record<string, JsonObject>).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    description: parameterDescription(id, name),
    schema,
  }));
  const lists = queryProperties.filter(([, schema]) => schema.type === 'array').map(([name]) => name);
  // The query reader always hands a list over (empty when absent): only lists may be required.
  const required = (query.required ?? []) as string[];
  if (required.some((name) => !lists.includes(name))) throw new Error(`${id}: a required query parameter that is not a list: ${required}`);
  const queryParameters = queryProperties.flatMap(([name, schema]): JsonObject[] =>
    lists.includes(name)
      ? [
          { name: `${name}[]`, in: 'query', required: false, description: listParameterDescription(id, name, 'brackets'), style: 'form', explode: true, schema },
          { name, in: 'query', required: false, description: listParameterDescription(id, name, 'commas'), style: 'form', explode: false, schema },
        ]
      : [{ name, in: 'query', required: false, description: parameterDescription(id, name, maxPerPage), schema }],
  );
  return [...pathParameters, ...queryParameters];
}

const REQUEST_BODY_DESCRIPTION =
  'JSON (application/json or any application/*+json, a charset parameter is fine; a body without a Content-Type is read as JSON), ' +
  "or a form, application/x-www-form-urlencoded or multipart/form-data, named in Rails' nested style: " +
  'quiz_submission_events[][event_type]=…&quiz_submission_events[][event_data][questionId]=…, or numbered quiz_submission_events[0][…] from 0 without gaps. ' +
  'A form is read into the same object, every value a string (event_data[flagged]=true stores "true"); a file part, a form nested deeper than 32 levels or with more than 10,000 fields is a 400. ' +
  'See docs/api.md, Form bodies. At most 1 MiB (413).';

function operation(id: RouteId): JsonObject {
  const body = 'body' in ROUTE_INPUTS[id];
  const scope = canvasScope(id);
  return {
    operationId: id,
    summary: ROUTES[id].summary,
    description: `Requires a bearer JWT with the scope ${scope} (or the operator's read/write override), and a course claim that lists the course.`,
    security: [{ [SECURITY_SCHEME]: [scope] }],
    parameters: parameters(id),
    ...(body && {
      requestBody: {
        required: true,
        description: REQUEST_BODY_DESCRIPTION,
        content: Object.fromEntries([JSON_MEDIA_TYPE, ...FORM_MEDIA_TYPES].map((mediaType) => [mediaType, { schema: componentRef('schemas', 'EventBatch') }])),
      },
    }),
    responses: routeResponses(id, isPaged(id)),
  };
}

/** The path as OpenAPI writes it: API Gateway's `{name}` is already OpenAPI's path templating. */
const openApiPath = (id: RouteId): string => ROUTES[id].path;

export function openApiDocument(): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  const operations = ROUTE_IDS.map(operation);
  const parameters = sharedParameters(operations);
  const responses = sharedResponses(operations);
  ROUTE_IDS.forEach((id, i) => ((paths[openApiPath(id)] ??= {})[ROUTES[id].method.toLowerCase()] = operations[i]!));
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Quiz Submission Events',
      version: '1',
      summary: "Canvas LMS's Quiz Submission Events API, serverless.",
      description:
        "Canvas LMS's Quiz Submission Events API (the same routes, bodies and error bodies), with summaries and a quiz-wide feed. " +
        'Generated from the route table and the input schemas by npm run openapi; docs/api.md says the rest. ' +
        'The local server (npm start) answers this document at GET /openapi.json, without a token.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [
      {
        url: '{apiUrl}',
        description: "The API's base URL: the stack's ApiUrl output, or the local server's address (npm start).",
        variables: { apiUrl: { default: 'http://127.0.0.1:3000' } },
      },
    ],
    paths,
    components: {
      schemas: { EventBatch: eventBatchSchema(), ...responseComponents() },
      parameters,
      responses,
      headers: HEADERS,
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A JWT the API Gateway's JWT authorizer accepts (issuer, audience, expiry), carrying the route's scope (each operation lists Canvas's scope string for it; " +
            'an operator may configure one read and one write scope instead) and a course claim (default course_ids) listing the course, or *. ' +
            'Locally: npm run token -- --sub student-1 --scopes read,write --course-ids 1.',
        },
      },
    },
  };
}
