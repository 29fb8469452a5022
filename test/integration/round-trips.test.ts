import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handlersOver } from '../support/handlers.ts';
import { distinctEvents, submission } from '../support/http-events.ts';
import { startTestStore, type TestStore } from '../support/test-store.ts';

let db: TestStore;
let api: ReturnType<typeof handlersOver>;
let n = 0;
const fresh = () => submission(`trips-${++n}`);

beforeAll(async () => {
  db = await startTestStore();
  api = handlersOver(db.store);
});
afterAll(() => db.close());
beforeEach(() => {
  db.calls.length = 0;
});

const batchWrites = (count: number) => Array<string>(count).fill('BatchWriteItem');

describe('DynamoDB calls per request', () => {
  it.each([1, 25, 26, 100, 1000])('POST of %i events: one submission update, then ⌈n/25⌉ batch writes', async (count) => {
    const path = fresh();
    await api.post(path, distinctEvents(count));
    expect(db.calls).toEqual(['UpdateItem', ...batchWrites(Math.ceil(count / 25))]);
  });

  it('POST with an attempt that is not higher than the current one: the update is refused, then one read', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(1), { query: 'attempt=2' });
    db.calls.length = 0;
    await api.post(path, distinctEvents(2), { query: 'attempt=2' });
    expect(db.calls).toEqual(['UpdateItem', 'GetItem', 'BatchWriteItem']);
  });

  it('POST by a subject who does not own the submission: two submission calls and no write', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(1));
    db.calls.length = 0;
    await api.post(path, distinctEvents(1), { subject: 'someone-else' });
    expect(db.calls).toEqual(['UpdateItem', 'GetItem']);
  });

  it('GET of the first page without an attempt: one GetItem for the current attempt, one Query', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(30));
    db.calls.length = 0;
    await api.get(path);
    expect(db.calls).toEqual(['GetItem', 'Query']);
  });

  it('GET with an attempt, and every continuation page: one Query each', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(30));
    db.calls.length = 0;
    const { pages } = await api.walk(path, 'attempt=1&per_page=10');
    expect(pages).toHaveLength(3);
    expect(db.calls).toEqual(['Query', 'Query', 'Query']);
  });

  it('GET without an attempt follows the bookmark without reading the submission again', async () => {
    const path = fresh();
    await api.post(path, distinctEvents(15));
    db.calls.length = 0;
    await api.walk(path, 'per_page=10');
    expect(db.calls).toEqual(['GetItem', 'Query', 'Query']);
  });
});
