/**
 * The quiz-wide feed: a walk of every event of a quiz (attempt=all, 100 a page) through the local
 * server over HTTP, against a bare Query loop over the same table (bench/baseline/minimal-feed-reader.ts),
 * both through the same DynamoDB client, whose calls are counted. Events per second and DynamoDB calls
 * per 100 events delivered, so that a page cut short by the Query cap does not look cheaper.
 */
import { ROUTES } from '#lib/routes.ts';
import { parseLinks } from '../test/support/api-shapes.ts';
import { minimalFeedPages } from './baseline/minimal-feed-reader.ts';
import { BENCH_COURSE, type BenchQuiz } from './feed-quiz.ts';
import { type QuizSize, reportingServer, type ReportingServer } from './reporting-server.ts';
import { median, type Metric, ratioMetric, rateMetric, withPairedRatio } from './results.ts';

export const FEED_PER_PAGE = 100;
/**
 * Goals. Rate: ours does per page what the baseline does once per walk (the roster Query, the bookmark,
 * the request parsed and checked) plus the HTTP round trip and the JSON both ways, over the same
 * embedded store. Calls: a page that ends inside an attempt reads one event more (to know there is a
 * next page) and starts again from the roster, so a few more calls than a loop that never stops.
 */
export const FEED_RATE_GOAL = 0.5;
export const FEED_CALLS_GOAL = 1.5;

export interface Walk {
  events: number;
  pages: number;
  calls: number;
  ms: number;
}

export const quizEventsUrl = (serverUrl: string, quizId: string, query: string): string =>
  `${serverUrl}${ROUTES.getQuizEvents.path.replace('{course_id}', BENCH_COURSE).replace('{quiz_id}', quizId)}?${query}`;

/** Every page of the feed through the API, following rel="next", each body parsed as a client would. */
export async function* ourFeedPages(serverUrl: string, quizId: string, eventType?: string): AsyncGenerator<unknown[]> {
  const filter = eventType ? `&event_types[]=${eventType}` : '';
  let next: string | undefined = quizEventsUrl(serverUrl, quizId, `attempt=all${filter}&per_page=${FEED_PER_PAGE}`);
  while (next !== undefined) {
    const answer: Response = await fetch(next);
    if (answer.status !== 200) throw new Error(`GET ${next}: ${answer.status} ${await answer.text()}`);
    yield ((await answer.json()) as { quiz_submission_events: unknown[] }).quiz_submission_events;
    next = parseLinks(answer.headers.get('link') ?? undefined).next;
  }
}

type Side = 'ours' | 'baseline';

/**
 * Both walks at once, a page of one, then a page of the other, each page timed and its DynamoDB calls
 * counted on its own side: a busy spell on the machine falls on both walks alike, however long they take.
 */
export async function interleavedWalks(reporting: ReportingServer, quiz: BenchQuiz, eventType: string | undefined, first: Side): Promise<Record<Side, Walk>> {
  const pages: Record<Side, AsyncGenerator<unknown[]>> = {
    ours: ourFeedPages(reporting.server.url, quiz.quizId, eventType),
    baseline: minimalFeedPages(reporting.server.documentClient, reporting.tableName, { courseId: BENCH_COURSE, quizId: quiz.quizId, perPage: FEED_PER_PAGE, eventType }),
  };
  const walks: Record<Side, Walk> = { ours: { events: 0, pages: 0, calls: 0, ms: 0 }, baseline: { events: 0, pages: 0, calls: 0, ms: 0 } };
  let active: Side[] = first === 'ours' ? ['ours', 'baseline'] : ['baseline', 'ours'];
  while (active.length > 0) {
    for (const side of active) {
      reporting.calls.count = 0;
      const started = performance.now();
      const page = await pages[side].next();
      walks[side].ms += performance.now() - started;
      walks[side].calls += reporting.calls.count;
      if (page.done) {
        active = active.filter((other) => other !== side);
        continue;
      }
      walks[side].events += page.value.length;
      walks[side].pages++;
    }
  }
  return walks;
}

export interface FeedOptions extends QuizSize {
  rounds?: number;
}

const FILTERS: { name: string; eventType?: string }[] = [{ name: 'attempt=all' }, { name: 'event_types[]=page_blurred', eventType: 'page_blurred' }];

export async function measureFeed({ submissions = 500, eventCount = 50_000, rounds = 3 }: Partial<FeedOptions> = {}): Promise<Record<string, Metric>> {
  const reporting = await reportingServer();
  const quiz = await reporting.quiz({ submissions, eventCount });
  const results: Record<string, Metric> = {};
  const n = eventCount.toLocaleString('en');
  for (const { name, eventType } of FILTERS) {
    const ours: Walk[] = [];
    const baseline: Walk[] = [];
    for (let round = 0; round < rounds; round++) {
      const walks = await interleavedWalks(reporting, quiz, eventType, round % 2 === 0 ? 'ours' : 'baseline');
      ours.push(walks.ours);
      baseline.push(walks.baseline);
    }
    const last = { ours: ours.at(-1)!, baseline: baseline.at(-1)! };
    if (last.ours.events !== last.baseline.events || (!eventType && last.ours.events !== quiz.eventCount)) {
      throw new Error(`feed walk ${name}: ours returned ${last.ours.events} events, the baseline ${last.baseline.events} (${quiz.eventCount} seeded)`);
    }
    const rateOf = (walk: Walk) => walk.events / (walk.ms / 1000);
    const rate = (walks: Walk[]) => median(walks.map(rateOf));
    const per100 = (walk: Walk) => (walk.calls / walk.events) * 100;
    const pages = `${last.ours.pages} pages vs ${last.baseline.pages}`;
    results[`feed walk ${n} events, ${name}`] = withPairedRatio(
      rateMetric(
        rate(ours),
        rate(baseline),
        FEED_RATE_GOAL,
        'events/s',
        `${last.ours.events.toLocaleString('en')} events, ${pages}; HTTP through the local server vs a bare Query loop; median of ${rounds}`,
      ),
      ours.map((walk, round) => rateOf(walk) / rateOf(baseline[round]!)),
    );
    results[`feed calls ${n} events, ${name}`] = ratioMetric(
      per100(last.ours),
      per100(last.baseline),
      FEED_CALLS_GOAL,
      'calls/100 events',
      `${last.ours.calls} vs ${last.baseline.calls} calls; ${pages}`,
    );
  }
  return results;
}
