import { componentRef, type JsonObject } from './openapi-objects.ts';

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
function hoist<Item>(entries: { item: Item; key: string; set: (value: JsonObject) => void }[], section: 'parameters' | 'responses'): Record<string, Item> {
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
    set(componentRef(section, key));
  }
  return shared;
}

export const sharedParameters = (operations: JsonObject[]) =>
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

export const sharedResponses = (operations: JsonObject[]) =>
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

