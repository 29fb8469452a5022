import { distinctEvents, submission } from '../test/support/http-events.ts';
import { startTestStore } from '../test/support/test-store.ts';
import { type Metric, ratioMetric } from './results.ts';

/** DynamoDB allows at most 25 puts per BatchWriteItem. */
const BATCH_WRITE_ITEMS = 25;

/** A submission's first POST (or its first of a new attempt) also records the attempt in the quiz's roster. */
const ROSTER_WRITES = 2;

/**
 * DynamoDB calls per request, counted by an SDK middleware on a client over dynalite, against the
 * fewest that could do the job: ⌈n/25⌉ BatchWriteItem + 1 submission UpdateItem per POST (a POST to a
 * submission under way, as all but its first are; the first also puts the roster item and marks the
 * submission rostered), one Query per GET page (plus the one GetItem allowed when the first page names
 * no attempt).
 */
export async function measureRoundTrips(): Promise<Record<string, Metric>> {
  process.env.TABLE_NAME ??= 'bench';
  const { handlersOver } = await import('../test/support/handlers.ts');
  const db = await startTestStore();
  const api = handlersOver(db.store);
  const results: Record<string, Metric> = {};
  const count = async (what: () => Promise<unknown>): Promise<number> => {
    db.calls.length = 0;
    await what();
    return db.calls.length;
  };
  const post = async (path: ReturnType<typeof submission>, events: ReturnType<typeof distinctEvents>) => {
    const answer = await api.post(path, events);
    if (answer.status !== 204) throw new Error(`POST of ${events.length}: ${answer.status} ${answer.body}`);
  };
  try {
    for (const n of [1, 25, 100, 1000]) {
      const path = submission(`round-trips-${n}`);
      await post(path, distinctEvents(1, Date.parse('2014-10-08T18:00:00.000Z')));
      const calls = await count(() => post(path, distinctEvents(n)));
      const minimum = Math.ceil(n / BATCH_WRITE_ITEMS) + 1;
      results[`round trips POST ${n} event${n === 1 ? '' : 's'}`] = ratioMetric(calls, minimum, 1, 'calls', `minimum ${Math.ceil(n / BATCH_WRITE_ITEMS)} BatchWriteItem + 1 UpdateItem`);
    }
    const firstCalls = await count(() => post(submission('round-trips-first'), distinctEvents(25)));
    results['round trips first POST of a submission, 25 events'] = ratioMetric(
      firstCalls,
      1 + 1 + ROSTER_WRITES,
      1,
      'calls',
      'minimum 1 BatchWriteItem + 1 UpdateItem + the roster: 1 PutItem, 1 UpdateItem',
    );
    for (const [events, perPage] of [[100, 10], [1000, 100]] as const) {
      const path = submission(`round-trips-get-${events}`);
      await api.post(path, distinctEvents(events));
      const pages = Math.ceil(events / perPage);
      for (const attempt of [true, false]) {
        let walked = 0;
        const calls = await count(async () => {
          walked = (await api.walk(path, `${attempt ? 'attempt=1&' : ''}per_page=${perPage}`)).pages.length;
        });
        if (walked !== pages) throw new Error(`GET walk of ${events} events: ${walked} pages, expected ${pages}`);
        const minimum = pages + (attempt ? 0 : 1);
        const name = `round trips GET ${pages} pages of ${perPage}${attempt ? '' : ', no attempt'}`;
        const note = attempt ? `minimum 1 Query per page` : `minimum 1 Query per page + 1 GetItem for the current attempt`;
        results[name] = ratioMetric(calls / pages, minimum / pages, 1, 'calls/page', note);
      }
    }
    return results;
  } finally {
    await db.close();
  }
}
