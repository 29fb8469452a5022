import { BadRequestError } from '#lib/domain/errors.ts';
import type { HttpEvent } from './types.ts';

/**
 * The query string as named parameters, read from `rawQueryString`: API Gateway's payload 2.0 joins a
 * repeated parameter's values with commas in `queryStringParameters`, which would make
 * `event_types[]=a,b` and `event_types[]=a&event_types[]=b` the same. A list parameter comes in Canvas's
 * array style, `name[]=a&name[]=b`, or as one comma-separated `name=a,b`; any other parameter given
 * twice is a 400. Parameters this API does not know are ignored, as Canvas ignores them.
 */
export function queryParameters<const Single extends string, const List extends string>(
  event: HttpEvent,
  { single, lists = [] }: { single: readonly Single[]; lists?: readonly List[] },
): Partial<Record<Single, string>> & Record<List, string[]> {
  const values: Record<string, string | string[]> = Object.fromEntries(lists.map((name) => [name, []]));
  for (const [name, value] of new URLSearchParams(event.rawQueryString)) {
    if ((single as readonly string[]).includes(name)) {
      if (name in values) throw new BadRequestError(`${name} is given more than once`, name);
      values[name] = value;
    } else if (name.endsWith('[]') && (lists as readonly string[]).includes(name.slice(0, -2))) {
      (values[name.slice(0, -2)] as string[]).push(value);
    } else if ((lists as readonly string[]).includes(name)) {
      (values[name] as string[]).push(...value.split(',').filter((item) => item !== ''));
    }
  }
  return values as Partial<Record<Single, string>> & Record<List, string[]>;
}
