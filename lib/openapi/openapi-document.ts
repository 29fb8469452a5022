/**
 * The OpenAPI 3.1 description of the API, generated from the route table (lib/routes.ts), the input
 * schemas every route validates with (lib/domain/schemas.ts, via route-inputs.ts), the response
 * schemas (response-schemas.ts) and the scopes (lib/auth/scopes.ts). `npm run openapi` writes it to
 * docs/openapi.json; the local server answers it at GET /openapi.json.
 */
import * as z from 'zod';
import { canvasScope } from '#lib/auth/scopes.ts';
import { FUNCTION_TIMEOUT_SECONDS, TIMEOUT_MARGIN_MS } from '#lib/domain/limits.ts';
import { ROUTE_IDS, ROUTES, type RouteId } from '#lib/routes.ts';
import { BODY_FIELD_DESCRIPTIONS, listParameterDescription, parameterDescription } from './parameter-descriptions.ts';
import { RESPONSE_SCHEMAS, type ResponseSchemaName } from './response-schemas.ts';
import { ROUTE_INPUTS } from './route-inputs.ts';

export type JsonObject = { [key: string]: unknown };

export const OPENAPI_VERSION = '3.1.1';
export const SECURITY_SCHEME = 'bearerJwt';
const JSON_MEDIA_TYPE = 'application/json';
const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'] as const;

const componentRef = (section: 'schemas' | 'headers', name: string) => ({ $ref: `#/components/${section}/${name}` });

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

const SECURITY_HEADERS = { 'Cache-Control': componentRef('headers', 'CacheControl'), 'X-Content-Type-Options': componentRef('headers', 'XContentTypeOptions') };

const HEADERS: Record<string, JsonObject> = {
  CacheControl: {
    description: "On every answer of the functions, errors included: no cache may keep a student's record.",
    required: true,
    schema: { type: 'string', const: 'no-store' },
  },
  XContentTypeOptions: {
    description: 'On every answer of the functions, errors included.',
    required: true,
    schema: { type: 'string', const: 'nosniff' },
  },
  Link: {
    description:
      "Canvas's pagination: absolute URLs joined by commas, rels current, next (only while more remain) and first, no last. Each URL keeps the request's other query parameters (sorted by name, access_token left out), then page=…&per_page=N. Walk rel=\"next\" until it is absent; the last page may be empty.",
    required: true,
    schema: {
      type: 'string',
      pattern: '^<[^<>]+>; rel="current"(?:,<[^<>]+>; rel="next")?,<[^<>]+>; rel="first"$',
      examples: [
        '<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?attempt=1&page=1&per_page=10>; rel="current",<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?attempt=1&page=bookmark:WyIyMDE0In0&per_page=10>; rel="next",<https://events.example.com/api/v1/courses/1/quizzes/2/submissions/3/events?attempt=1&page=1&per_page=10>; rel="first"',
      ],
    },
  },
  RetryAfter: {
    description: 'Seconds to wait before resending the same request.',
    required: true,
    schema: { type: 'string', pattern: '^[1-9][0-9]*$', examples: ['1'] },
  },
  WwwAuthenticate: {
    description: 'The gateway\'s challenge: Bearer, with error="invalid_token" when a token was sent but does not hold.',
    required: true,
    schema: { type: 'string', pattern: '^Bearer(?: |$)' },
  },
};

type Body = ResponseSchemaName | readonly ResponseSchemaName[];

const jsonContent = (body: Body) => ({
  [JSON_MEDIA_TYPE]: { schema: typeof body === 'string' ? componentRef('schemas', body) : { oneOf: body.map((name) => componentRef('schemas', name)) } },
});

/** An answer of a function: Canvas's body and the security headers. */
const functionAnswer = (description: string, body: ResponseSchemaName, headers: Record<string, JsonObject> = {}) => ({
  description,
  headers: { ...SECURITY_HEADERS, ...headers },
  content: jsonContent(body),
});

/** An answer the function or the gateway may give: only the function's carries the security headers. */
const eitherAnswer = (description: string, body: readonly [ResponseSchemaName, ResponseSchemaName]) => ({
  description: `${description} The function's answers carry Cache-Control and X-Content-Type-Options; the gateway's do not.`,
  headers: {
    'Cache-Control': { description: "On the function's answer only.", required: false, schema: HEADERS.CacheControl!.schema },
    'X-Content-Type-Options': { description: "On the function's answer only.", required: false, schema: HEADERS.XContentTypeOptions!.schema },
  },
  content: jsonContent(body),
});

const gatewayAnswer = (description: string, body: ResponseSchemaName, headers: Record<string, JsonObject> = {}) => ({
  description,
  ...(Object.keys(headers).length > 0 && { headers }),
  content: jsonContent(body),
});

function responses(id: RouteId): JsonObject {
  const { method } = ROUTES[id];
  const paged = 'maxPerPage' in ROUTE_INPUTS[id];
  const hasNotFound = id === 'getEvents' || id === 'getEventsSummary';
  const success =
    method === 'POST'
      ? { 204: { description: 'The whole batch is stored. No body.', headers: SECURITY_HEADERS } }
      : { 200: functionAnswer(ROUTES[id].summary, SUCCESS_BODY[id]!, paged ? { Link: componentRef('headers', 'Link') } : {}) };
  return {
    ...success,
    400: functionAnswer(
      'Bad input: a path id, a query parameter or the body (not JSON or not a well-formed form, not UTF-8, an invalid event) is refused, naming the first field at fault. Nothing is stored.',
      'CanvasError',
    ),
    401: gatewayAnswer("The gateway's answer: the token is missing or does not hold.", 'GatewayUnauthorized', { 'WWW-Authenticate': componentRef('headers', 'WwwAuthenticate') }),
    403: eitherAnswer(
      `The gateway's {"message":"Forbidden"} when the token lacks the route's scope; the function's Canvas body when the token's course claim does not list the course${
        method === 'POST' ? ', or the submission belongs to another user (the first subject to write to a submission owns it)' : ''
      }.`,
      ['NotAuthorized', 'GatewayForbidden'],
    ),
    ...(hasNotFound && {
      404: functionAnswer('An unknown submission, or an attempt it does not have.', 'NotFound'),
    }),
    ...(method === 'POST'
      ? {
          413: eitherAnswer('The body is over 1 MiB (the function\'s answer) or over the gateway\'s 10 MiB.', ['CanvasError', 'GatewayMessage']),
          415: functionAnswer('The body is declared as something other than JSON or a form; the message lists the accepted types.', 'CanvasError'),
          429: eitherAnswer("The submission has received the most events it may (the function's answer), or the gateway's throttle.", ['CanvasError', 'GatewayMessage']),
        }
      : {
          413: gatewayAnswer("A body over the gateway's 10 MiB, refused before the function runs (the function reads no body on this route).", 'GatewayMessage'),
          429: gatewayAnswer("The gateway's throttle.", 'GatewayMessage'),
        }),
    500: eitherAnswer('Anything unexpected; or the gateway\'s {"message":"Internal Server Error"} when the function could not be run.', ['InternalError', 'GatewayMessage']),
    503: functionAnswer(
      `The store was still throttling, failing or hung after the retries the request had time for (answered ${TIMEOUT_MARGIN_MS / 1000} s before the function's ${FUNCTION_TIMEOUT_SECONDS}-second timeout at the latest).${
        method === 'POST' ? ' Some of the batch may be stored: resend the same batch, and each event is stored once.' : ''
      }`,
      'CanvasError',
      { 'Retry-After': componentRef('headers', 'RetryAfter') },
    ),
  };
}

const SUCCESS_BODY: Partial<Record<RouteId, ResponseSchemaName>> = {
  getEvents: 'EventsPage',
  getEventsSummary: 'AttemptSummary',
  getQuizEvents: 'QuizEventsPage',
  getQuizSummaries: 'QuizSummariesPage',
};

function parameters(id: RouteId): JsonObject[] {
  const inputs = ROUTE_INPUTS[id];
  const path = inputJsonSchema(inputs.path);
  const query = inputJsonSchema(inputs.query);
  const maxPerPage = 'maxPerPage' in inputs ? inputs.maxPerPage : undefined;
  const pathParameters = Object.entries(path.properties as Record<string, JsonObject>).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    description: parameterDescription(id, name),
    schema,
  }));
  const queryProperties = Object.entries((query.properties ?? {}) as Record<string, JsonObject>);
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
    responses: responses(id),
  };
}

/** The path as OpenAPI writes it: API Gateway's `{name}` is already OpenAPI's path templating. */
const openApiPath = (id: RouteId): string => ROUTES[id].path;

const STATUS_NAMES: Record<string, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  413: 'ContentTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/**
 * Moves what several operations describe identically (a parameter, an error answer) into the named
 * components section, so the document says it once. Where routes differ (attempt, per_page, the POST's
 * 403), the one variant several routes share is moved, when there is exactly one; the others stay inline.
 */
function hoist<Item>(entries: { item: Item; key: string; set: (value: JsonObject) => void }[], section: string): Record<string, Item> {
  const uses = new Map<string, Map<string, number>>();
  for (const { item, key } of entries) {
    const variants = uses.get(key) ?? uses.set(key, new Map()).get(key)!;
    variants.set(JSON.stringify(item), (variants.get(JSON.stringify(item)) ?? 0) + 1);
  }
  const shared: Record<string, Item> = {};
  for (const { item, key, set } of entries) {
    const repeated = [...uses.get(key)!].filter(([, count]) => count > 1).map(([text]) => text);
    if (repeated.length !== 1 || repeated[0] !== JSON.stringify(item)) continue;
    shared[key] = item;
    set({ $ref: `#/components/${section}/${key}` });
  }
  return shared;
}

const sharedParameters = (operations: JsonObject[]) =>
  hoist(
    operations.flatMap((operation) =>
      (operation.parameters as JsonObject[]).map((parameter, i) => ({
        item: parameter,
        // e.g. query.event_types[] → query.event_types_array
        key: `${parameter.in}.${String(parameter.name).replace('[]', '_array')}`,
        set: (value: JsonObject) => ((operation.parameters as JsonObject[])[i] = value),
      })),
    ),
    'parameters',
  );

const sharedResponses = (operations: JsonObject[]) =>
  hoist(
    operations.flatMap((operation) =>
      Object.entries(operation.responses as Record<string, JsonObject>)
        .filter(([status]) => status in STATUS_NAMES)
        .map(([status, response]) => ({
          item: response,
          key: STATUS_NAMES[status]!,
          set: (value: JsonObject) => ((operation.responses as Record<string, JsonObject>)[status] = value),
        })),
    ),
    'responses',
  );

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
