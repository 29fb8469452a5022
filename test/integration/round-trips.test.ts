import { describe, expect, it } from 'vitest';
import { useHandlersOnTestStore } from '../support/handlers.ts';
import { distinctEvents } from '../support/http-events.ts';
import { injectFaults } from '../support/fault-injection.ts';

const harness = useHandlersOnTestStore('trips');
const { fresh } = harness;

const batchWrites = (count: number) => Array<string>(count).fill('BatchWriteItem');

describe('DynamoDB calls per request', () => {
  it.each([1, 25, 26, 100, 1000])('POST of %i events to a submission: one submission update, then ⌈n/25⌉ batch writes', async (count) => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1));
    harness.db.calls.length = 0;
    await harness.api.post(path, distinctEvents(count, Date.parse('2014-10-08T20:00:00Z')));
    expect(harness.db.calls).toEqual(['UpdateItem', ...batchWrites(Math.ceil(count / 25))]);
  });

  it.each(['', 'attempt=1'])('POST that creates a submission (%j): the claim, its roster entry and the mark that it is done, then the writes', async (query) => {
    await harness.api.post(fresh(), distinctEvents(30), { query });
    expect(harness.db.calls).toEqual(['UpdateItem', 'PutItem', 'UpdateItem', ...batchWrites(2)]);
  });

  it('POST naming the current or an older attempt: one update, no read', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1), { query: 'attempt=1' });
    await harness.api.post(path, distinctEvents(1), { query: 'attempt=2' });
    harness.db.calls.length = 0;
    await harness.api.post(path, distinctEvents(2, Date.parse('2014-10-08T20:00:00Z')), { query: 'attempt=2' });
    await harness.api.post(path, distinctEvents(2, Date.parse('2014-10-08T21:00:00Z')), { query: 'attempt=1' });
    expect(harness.db.calls).toEqual(['UpdateItem', 'BatchWriteItem', 'UpdateItem', 'BatchWriteItem']);
  });

  it('POST naming the next attempt: the claim raises it, the roster follows', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1));
    harness.db.calls.length = 0;
    await harness.api.post(path, distinctEvents(1), { query: 'attempt=2' });
    expect(harness.db.calls).toEqual(['UpdateItem', 'PutItem', 'UpdateItem', 'BatchWriteItem']);
  });

  it('POST by a subject who does not own the submission: two submission calls and no write', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(1));
    harness.db.calls.length = 0;
    await harness.api.post(path, distinctEvents(1), { subject: 'someone-else' });
    expect(harness.db.calls).toEqual(['UpdateItem', 'GetItem']);
  });

  it('GET of the first page without an attempt: one GetItem for the current attempt, one Query', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(30));
    harness.db.calls.length = 0;
    await harness.api.get(path);
    expect(harness.db.calls).toEqual(['GetItem', 'Query']);
  });

  it('GET with an attempt, and every continuation page: one Query each', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(30));
    harness.db.calls.length = 0;
    const { pages } = await harness.api.walk(path, 'attempt=1&per_page=10');
    expect(pages).toHaveLength(3);
    expect(harness.db.calls).toEqual(['Query', 'Query', 'Query']);
  });

  it('GET without an attempt follows the bookmark without reading the submission again', async () => {
    const path = fresh();
    await harness.api.post(path, distinctEvents(15));
    harness.db.calls.length = 0;
    await harness.api.walk(path, 'per_page=10');
    expect(harness.db.calls).toEqual(['GetItem', 'Query', 'Query']);
  });

  it('POST whose first batch write fails for good: the other workers start no further chunk', async () => {
    const path = fresh();
    const faults = injectFaults(harness.db.client, (call) => (call.operation === 'BatchWriteItem' && call.nth === 0 ? { kind: 'throughput-exceeded' } : undefined));
    try {
      const posted = await harness.api.post(path, distinctEvents(1000));
      expect(posted.status).toBe(503);
      // 40 chunks, 4 writers: the failed one, and at most one more chunk for each of the other three.
      expect(harness.db.calls.filter((name) => name === 'BatchWriteItem').length).toBeLessThanOrEqual(1 + 3 * 2);
    } finally {
      faults.stop();
    }
  });
});
