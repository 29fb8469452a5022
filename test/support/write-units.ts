/**
 * What DynamoDB bills a write: one write unit per started KB of the item, the item's size being its
 * attribute names and values (strings as UTF-8; numbers about one byte per two significant digits,
 * plus one). Only the attribute types our items hold (strings and numbers).
 */

const numberBytes = (value: number): number => {
  const digits = String(Math.abs(value)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return 1 + Math.ceil(Math.max(1, digits.length) / 2);
};

export function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    bytes += Buffer.byteLength(name);
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
    else if (typeof value === 'number') bytes += numberBytes(value);
    else throw new Error(`no size rule here for attribute ${name}`);
  }
  return bytes;
}

export const writeUnits = (item: Record<string, unknown>): number => Math.ceil(itemBytes(item) / 1024);
