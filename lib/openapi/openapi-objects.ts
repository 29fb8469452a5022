/** A JSON object, as the document is built from: zod's JSON Schema output and OpenAPI objects. */
export type JsonObject = { [key: string]: unknown };

export const JSON_MEDIA_TYPE = 'application/json';

/** A reference to a named component of the document. */
export const componentRef = (section: 'schemas' | 'headers' | 'parameters' | 'responses', name: string) => ({ $ref: `#/components/${section}/${name}` });
