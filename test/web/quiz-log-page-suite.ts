import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, chromiumInstalled, launchChromium } from '../support/chromium.ts';
import type { QuizLogSeed } from '../support/quiz-log-seed.ts';

/**
 * The quiz log page in real headless Chromium, against a server that serves the built site at `/`
 * beside the API (same origin) with the seed stored: the local server (`npm start`). Every figure the
 * page must show is read from that server's own API; only answers the server cannot be made to give
 * on demand (503, 429) are made at the browser's network layer.
 */
export interface QuizLogTarget {
  /** Serves the site at `/` and the API under `/api/v1`. */
  baseUrl: string;
  /** A reader token for the seeded course. */
  readToken: string;
  /** A valid reader token whose course claim does not list the seeded course. */
  otherCourseToken: string;
  seed: QuizLogSeed;
  close(): Promise<void>;
}

export const SCREENSHOT_DIR = join(import.meta.dirname, '../../test-output/quiz-log');
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Opened {
  page: Page;
  context: BrowserContext;
  /** console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Every request the page made to the API. */
  apiRequests: { url: string; authorization: string | undefined }[];
}

/** A summary's figures as the API gives them. */
type Summary = {
  submission_id: string;
  attempt: number;
  event_count: number;
  duration_ms: number | null;
  blur_count: number;
  unfocused_ms_total: number;
  unfocused_ms_max: number;
  unfocused_intervals: { started_at: string; ended_at: string; duration_ms: number; open: boolean }[];
  questions: Record<string, { view_count: number; flagged: boolean }>;
  clock_fallback_count: number;
};
type ApiEvent = { event_type: string; event_data: unknown; created_at: string };

export function describeQuizLogPage(name: string, startTarget: () => Promise<QuizLogTarget>) {
  if (!chromiumInstalled) {
    console.log(CHROMIUM_MISSING);
    // CI installs Chromium (.ci/run) and sets this, so there the tests never pass by being skipped.
    if (process.env.REQUIRE_BROWSER_TESTS === '1') {
      it(`${name}: needs Chromium`, () => expect.fail(CHROMIUM_MISSING));
      return;
    }
  }

  describe.skipIf(!chromiumInstalled)(name, () => {
    let target: QuizLogTarget;
    let browser: Browser;
    let seed: QuizLogSeed;
    let quizPath: string;

    beforeAll(async () => {
      [target, browser] = await Promise.all([startTarget(), launchChromium()]);
      seed = target.seed;
      quizPath = `/api/v1/courses/${seed.course}/quizzes/${seed.quiz}`;
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await target?.close();
    });

    interface OpenOptions {
      /** null: open without a token. */
      token?: string | null;
      viewport?: { width: number; height: number };
      /** Runs on the new browser context before the page loads. */
      prepare?: (context: BrowserContext) => Promise<void>;
    }
    async function open(query: string, { token = target.readToken, viewport = WIDTHS.desktop, prepare }: OpenOptions = {}): Promise<Opened> {
      const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
      await prepare?.(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      const apiRequests: Opened['apiRequests'] = [];
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      page.on('pageerror', (error) => void errors.push(`uncaught: ${error.message}`));
      page.on('request', (request) => void (new URL(request.url()).pathname.startsWith('/api/') && apiRequests.push({ url: request.url(), authorization: request.headers().authorization })));
      await page.goto(`${target.baseUrl}/${query}${token ? `#access_token=${encodeURIComponent(token)}` : ''}`);
      return { page, context, errors, apiRequests };
    }

    /** Every item of a paged API list, walked through its Link headers as any client would. */
    async function apiList<T>(path: string, key: string): Promise<T[]> {
      const items: T[] = [];
      let url: string | undefined = `${target.baseUrl}${path}`;
      while (url) {
        const response: Response = await fetch(url, { headers: { authorization: `Bearer ${target.readToken}` } });
        expect(response.status).toBe(200);
        items.push(...((await response.json()) as Record<string, T[]>)[key]!);
        url = /<([^>]*)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      }
      return items;
    }
    const latestSummaries = () => apiList<Summary>(`${quizPath}/submission_events/summary?attempt=latest&per_page=7`, 'quiz_submission_event_summaries');
    async function attemptSummary(submission: string, attempt: number): Promise<Summary> {
      const response = await fetch(`${target.baseUrl}${quizPath}/submissions/${submission}/events/summary?attempt=${attempt}`, { headers: { authorization: `Bearer ${target.readToken}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as Summary;
    }
    const attemptEvents = (submission: string, attempt: number) => apiList<ApiEvent>(`${quizPath}/submissions/${submission}/events?attempt=${attempt}&per_page=50`, 'quiz_submission_events');

    const classQuery = () => `?course=${seed.course}&quiz=${seed.quiz}`;
    const attemptQuery = (submission: string, attempt: number) => `${classQuery()}&submission=${submission}&attempt=${attempt}`;
    const rows = (page: Page) => page.locator('table.class-table tbody tr');
    const rowIds = (page: Page) => page.locator('table.class-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-submission')));
    /** Each row's cells as text; an attempts cell lists its attempt numbers separated by spaces. */
    const cellTexts = (page: Page) =>
      page.locator('table.class-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((cell) => (cell.querySelector('.attempts') ? [...cell.querySelector('.attempts')!.children].map((item) => item.textContent).join(' ') : cell.textContent!.trim()))),
      );
    const headerLabels = (page: Page) => page.locator('table.class-table thead th').evaluateAll((ths) => ths.map((th) => th.textContent!.replace(/[↕▲▼]/g, '').trim()));

    async function classLoaded(page: Page) {
      await rows(page).first().waitFor();
    }
    async function attemptLoaded(page: Page) {
      await page.locator('.event-stream li').first().waitFor();
    }
    async function expectAccessible(page: Page, label: string) {
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
        return result.violations.map(({ id, impact, nodes }) => ({ id, impact, targets: nodes.slice(0, 3).map((node) => node.target.join(' ')) }));
      });
      expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact)), label).toEqual([]);
    }
    /** m:ss or h:mm:ss back to whole seconds. */
    const seconds = (text: string) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
    const wholeSeconds = (ms: number | null) => Math.floor((ms ?? 0) / 1000);

    it('the class view lists every submission with the same figures as the summary API', async () => {
      // Arrange
      const summaries = await latestSummaries();
      const { page, errors, apiRequests } = await open(classQuery());

      // Act
      await classLoaded(page);
      const labels = await headerLabels(page);
      const table = await cellTexts(page);

      // Assert
      expect(table.map((cells) => cells[0])).toEqual(summaries.map((summary) => summary.submission_id));
      const column = (label: string) => labels.indexOf(label);
      for (const [index, summary] of summaries.entries()) {
        const cells = table[index]!;
        expect(cells[column('Attempt')]!.split(/\s+/).map(Number)).toEqual(Array.from({ length: summary.attempt }, (_, n) => n + 1));
        expect(seconds(cells[column('Duration')]!)).toBe(wholeSeconds(summary.duration_ms));
        expect(Number(cells[column('Events')])).toBe(summary.event_count);
        expect(Number(cells[column('Blur count')])).toBe(summary.blur_count);
        expect(seconds(cells[column('Time away')]!)).toBe(wholeSeconds(summary.unfocused_ms_total));
        expect(seconds(cells[column('Longest away')]!)).toBe(wholeSeconds(summary.unfocused_ms_max));
        expect(Number(cells[column('Questions viewed')])).toBe(Object.values(summary.questions).filter((question) => question.view_count > 0).length);
        expect(Number(cells[column('Flagged')])).toBe(Object.values(summary.questions).filter((question) => question.flagged).length);
        expect(cells[column('Notes')]!.includes('Away at the last event')).toBe(summary.unfocused_intervals.some((interval) => interval.open));
        expect(cells[column('Notes')]!.includes(`Receipt time used for ${summary.clock_fallback_count} event`)).toBe(summary.clock_fallback_count > 0);
      }
      // The server took the receipt time for the events whose client clock had jumped ahead.
      expect(summaries.find((summary) => summary.submission_id === seed.clockAhead.submission)!.clock_fallback_count).toBe(seed.clockAhead.events);
      // The token left the address bar, and went to the API only as the Authorization header.
      expect(page.url()).not.toContain('access_token');
      expect(apiRequests.length).toBeGreaterThan(0);
      for (const request of apiRequests) {
        expect(request.authorization).toBe(`Bearer ${target.readToken}`);
        expect(request.url).not.toContain(target.readToken);
      }
      await expectAccessible(page, 'class view');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'class-1280.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('sorts by a column, biggest first, then the other way, and keeps the order in the address', async () => {
      // Arrange
      const summaries = await latestSummaries();
      const byLongest = [...summaries].sort((a, b) => b.unfocused_ms_max - a.unfocused_ms_max || a.submission_id.localeCompare(b.submission_id, 'en', { numeric: true }));
      const { page, errors } = await open(classQuery());
      await classLoaded(page);
      const header = page.locator('th[data-column="longest"]');

      // Act
      await header.getByRole('button').click();
      const descending = await rowIds(page);
      const descendingSort = await header.getAttribute('aria-sort');
      await header.getByRole('button').click();
      const ascendingSort = await header.getAttribute('aria-sort');
      const ascending = await rowIds(page);
      await page.reload();
      await classLoaded(page);
      const afterReload = await rowIds(page);

      // Assert
      expect(descending).toEqual(byLongest.map((summary) => summary.submission_id));
      expect(descendingSort).toBe('descending');
      expect(ascendingSort).toBe('ascending');
      expect(ascending.map((id) => summaries.find((summary) => summary.submission_id === id)!.unfocused_ms_max)).toEqual(
        [...summaries].map((summary) => summary.unfocused_ms_max).sort((a, b) => a - b),
      );
      expect(new URL(page.url()).searchParams.get('sort')).toBe('longest');
      expect(afterReload).toEqual(ascending);
      expect(errors).toEqual([]);
    });

    it('downloads the rows as shown, in their order, as CSV', async () => {
      // Arrange
      const summaries = await latestSummaries();
      const { page, errors } = await open(`${classQuery()}&sort=events&dir=desc`);
      await classLoaded(page);
      const shownIds = await rowIds(page);

      // Act
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
      const csv = readFileSync((await download.path())!, 'utf8');

      // Assert
      expect(download.suggestedFilename()).toBe(`quiz-log-course-${seed.course}-quiz-${seed.quiz}.csv`);
      const [header, ...records] = csv.trimEnd().split('\r\n').map((line) => line.split(','));
      expect(header).toEqual(['Submission', 'Attempt', 'First event (UTC)', 'Duration (s)', 'Events', 'Blur count', 'Time away (s)', 'Longest away (s)', 'Questions viewed', 'Questions flagged', 'Notes']);
      expect(records.map((record) => record[0])).toEqual(shownIds);
      for (const record of records) {
        const summary = summaries.find((candidate) => candidate.submission_id === record[0])!;
        expect(record.slice(1, 8)).toEqual([
          String(summary.attempt),
          new Date(Date.parse((summary as unknown as { first_event_at: string }).first_event_at)).toISOString(),
          String(Math.round(summary.duration_ms! / 1000)),
          String(summary.event_count),
          String(summary.blur_count),
          String(Math.round(summary.unfocused_ms_total / 1000)),
          String(Math.round(summary.unfocused_ms_max / 1000)),
        ]);
      }
      expect(errors).toEqual([]);
    });

    it('the attempt view shows each unfocused interval and each event, in Canvas’s words, with the time since the start', async () => {
      // Arrange
      const { submission, attempt } = seed.showcase;
      const summary = await attemptSummary(submission, attempt);
      const events = await attemptEvents(submission, attempt);
      const { page, errors } = await open(classQuery());
      await classLoaded(page);

      // Act: from the class, as a teacher gets there
      await page.locator(`tr[data-submission="${submission}"] th a`).click();
      await attemptLoaded(page);
      await page.locator('svg.timeline').waitFor();
      const items = await page.locator('.event-stream li').evaluateAll((lis) => lis.map((li) => ({ since: li.querySelector('.event-since')!.textContent!, text: li.querySelector('.event-text')!.textContent! })));
      const intervalRows = await page.locator('.intervals-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent!)));

      // Assert
      expect(new URL(page.url()).searchParams.get('attempt')).toBe(String(attempt));
      expect(await page.locator('h1').textContent()).toBe(`Submission ${submission} · attempt ${attempt}`);
      expect(items).toHaveLength(events.length);
      const start = Date.parse(events[0]!.created_at);
      expect(items.map((item) => seconds(item.since))).toEqual(events.map((event) => wholeSeconds(Date.parse(event.created_at) - start)));
      const texts = items.map((item) => item.text);
      for (const wording of ['Session started', 'Stopped viewing the Canvas quiz-taking page...', 'Resumed.', 'Viewed (and possibly read) question #11', 'Flagged question #12', 'Unflagged question #12', 'Answered question #11', 'Cleared the answer to question #13', 'Event “proctor_note”']) {
        expect(texts).toContain(wording);
      }
      expect(await page.locator('svg.timeline rect.away').count()).toBe(summary.unfocused_intervals.length);
      expect(await page.locator('svg.timeline rect.away-open').count()).toBe(summary.unfocused_intervals.filter((interval) => interval.open).length);
      expect(await page.locator('svg.timeline .view-mark').count()).toBe(events.filter((event) => event.event_type === 'question_viewed').length);
      expect(intervalRows.map((cells) => seconds(cells[3]!))).toEqual(summary.unfocused_intervals.map((interval) => wholeSeconds(interval.duration_ms)));
      expect(intervalRows.map((cells) => cells[2]!.includes('still away'))).toEqual(summary.unfocused_intervals.map((interval) => interval.open));
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'attempt-1280.png'), fullPage: true });
      await expectAccessible(page, 'attempt view');
      expect(errors).toEqual([]);
    });

    it('reads a log longer than one page to its end through the Link header', async () => {
      // Arrange
      const { submission, attempt } = seed.longLog;
      const events = await attemptEvents(submission, attempt);

      // Act
      const { page, errors } = await open(attemptQuery(submission, attempt));
      await attemptLoaded(page);

      // Assert
      expect(events.length).toBeGreaterThan(100);
      expect(await page.locator('.event-stream li').count()).toBe(events.length);
      expect(errors).toEqual([]);
    });

    it('filters the event stream by type', async () => {
      // Arrange
      const { submission, attempt } = seed.showcase;
      const events = await attemptEvents(submission, attempt);
      const blurs = events.filter((event) => event.event_type === 'page_blurred').length;
      const { page, errors } = await open(attemptQuery(submission, attempt));
      await attemptLoaded(page);
      const visible = () => page.locator('.event-stream li:visible');

      // Act
      await page.getByRole('checkbox', { name: /Left the quiz page/ }).uncheck();
      const withoutBlurs = await visible().evaluateAll((lis) => lis.map((li) => li.getAttribute('data-event-type')));
      const statusWithoutBlurs = await page.locator('.shown-count').textContent();
      await page.getByRole('button', { name: 'Hide all' }).click();
      const afterHideAll = await visible().count();
      await page.getByRole('checkbox', { name: /Left the quiz page/ }).check();
      const onlyBlurs = await visible().evaluateAll((lis) => lis.map((li) => li.getAttribute('data-event-type')));
      await page.getByRole('button', { name: 'Show all' }).click();

      // Assert
      expect(withoutBlurs).toHaveLength(events.length - blurs);
      expect(withoutBlurs).not.toContain('page_blurred');
      expect(statusWithoutBlurs).toBe(`Showing ${events.length - blurs} of ${events.length} events.`);
      expect(afterHideAll).toBe(0);
      expect(onlyBlurs).toEqual(Array(blurs).fill('page_blurred'));
      expect(await visible().count()).toBe(events.length);
      expect(errors).toEqual([]);
    });

    it('switches between attempts, and the back button returns to the one before', async () => {
      // Arrange
      const { submission, attempt } = seed.showcase;
      const first = await attemptEvents(submission, 1);
      const { page, errors } = await open(attemptQuery(submission, attempt));
      await attemptLoaded(page);

      // Act
      await page.getByRole('navigation', { name: 'Attempts' }).getByRole('link', { name: /Attempt 1/ }).click();
      await page.locator('h1', { hasText: `Submission ${submission} · attempt 1` }).waitFor();
      const firstCount = await page.locator('.event-stream li').count();
      const current = await page.locator('.attempt-switcher [aria-current="page"]').textContent();
      await page.goBack();
      await page.locator('h1', { hasText: `Submission ${submission} · attempt ${attempt}` }).waitFor();

      // Assert
      expect(firstCount).toBe(first.length);
      expect(current).toContain('Attempt 1');
      expect(new URL(page.url()).searchParams.get('attempt')).toBe(String(attempt));
      expect(errors).toEqual([]);
    });

    it('shows an event’s raw event_data on demand, as text, never as markup', async () => {
      // Arrange
      const { submission, attempt } = seed.showcase;
      const { page, errors } = await open(attemptQuery(submission, attempt));
      await attemptLoaded(page);
      const row = page.locator('.event-stream li[data-event-type="proctor_note"]');
      const toggle = row.getByRole('button');
      const panel = row.locator('.event-data');

      // Act
      const hiddenBefore = await panel.isHidden();
      await toggle.click();
      const expanded = await toggle.getAttribute('aria-expanded');
      const data = await panel.locator('pre').textContent();
      await toggle.click();

      // Assert
      expect(hiddenBefore).toBe(true);
      expect(expanded).toBe('true');
      expect(JSON.parse(data!)).toEqual({ note: '<img src=x onerror="document.title=\'pwned\'">', 'a&b': [1, 2.5, null] });
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.title()).not.toBe('pwned');
      expect(await panel.isHidden()).toBe(true);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(errors).toEqual([]);
    });

    it('works from the keyboard: sort, open a submission, show its data', async () => {
      // Arrange
      const { page, errors } = await open(classQuery());
      await classLoaded(page);
      const tabTo = async (isTarget: () => Promise<boolean>, what: string) => {
        for (let step = 0; step < 60; step++) {
          await page.keyboard.press('Tab');
          if (await isTarget()) return;
        }
        throw new Error(`Tab never reached ${what}`);
      };
      const focused = (selector: string) => () => page.evaluate((css) => document.activeElement?.matches(css) ?? false, selector);

      // Act
      await tabTo(focused('th[data-column="events"] button'), 'the Events sort button');
      await page.keyboard.press('Enter');
      const sort = await page.locator('th[data-column="events"]').getAttribute('aria-sort');
      const firstId = (await rowIds(page))[0]!;
      await tabTo(focused('tbody tr:first-child th a'), 'the first submission');
      await page.keyboard.press('Enter');
      await attemptLoaded(page);
      await tabTo(focused('.data-toggle'), 'a Show data button');
      await page.keyboard.press('Space');

      // Assert
      expect(sort).toBe('descending');
      expect(new URL(page.url()).searchParams.get('submission')).toBe(firstId);
      expect(await page.locator('.data-toggle[aria-expanded="true"]').count()).toBe(1);
      expect(errors).toEqual([]);
    });

    it('fits a 390 px wide screen, accessibly', async () => {
      // Arrange
      const { submission, attempt } = seed.showcase;
      const { page, errors } = await open(classQuery(), { viewport: WIDTHS.phone });
      await classLoaded(page);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'class-390.png') });

      // Act
      await page.goto(`${target.baseUrl}/${attemptQuery(submission, attempt)}`);
      await attemptLoaded(page);
      await page.locator('svg.timeline').waitFor();
      const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      const timelineWidth = Number(await page.locator('svg.timeline').getAttribute('width'));

      // Assert: nothing but the tables' own scroll regions is wider than the screen
      expect(pageWidth).toBeLessThanOrEqual(WIDTHS.phone.width);
      expect(timelineWidth).toBeLessThanOrEqual(WIDTHS.phone.width);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'attempt-390.png'), fullPage: true });
      await expectAccessible(page, 'attempt view at 390 px');
      expect(errors).toEqual([]);
    });

    describe('says what happened and what to do when it cannot show a log', () => {
      /** The browser reports each refused request as a console error; nothing else may appear. */
      const onlyRefusals = (errors: string[], status: number) => errors.filter((error) => !error.includes(`status of ${status}`));

      it('before sign-in: how to sign in, without calling the API', async () => {
        const { page, errors, apiRequests } = await open(classQuery(), { token: null });
        await page.getByRole('alert').waitFor();
        expect(await page.locator('h1').textContent()).toBe('You are not signed in');
        expect(await page.getByRole('alert').textContent()).toContain('npm start');
        expect(apiRequests).toEqual([]);
        expect(errors).toEqual([]);
      });

      it('401: the sign-in is missing or expired', async () => {
        const { page, errors } = await open(classQuery(), { token: 'expired-or-forged' });
        await page.getByRole('alert').waitFor();
        expect(await page.locator('h1').textContent()).toBe('You are not signed in, or your sign-in has expired');
        expect(await page.getByRole('alert').textContent()).toContain('“Unauthorized” (HTTP 401)');
        expect(onlyRefusals(errors, 401)).toEqual([]);
      });

      it('403: this sign-in may not read the course', async () => {
        const { page, errors } = await open(classQuery(), { token: target.otherCourseToken });
        await page.getByRole('alert').waitFor();
        expect(await page.locator('h1').textContent()).toBe(`You may not read the quiz log of course ${seed.course}, quiz ${seed.quiz}`);
        expect(await page.getByRole('alert').textContent()).toContain('ask your LMS administrator');
        await expectAccessible(page, '403 state');
        expect(onlyRefusals(errors, 403)).toEqual([]);
      });

      it('404: no such attempt', async () => {
        const { page, errors } = await open(attemptQuery(seed.showcase.submission, 99));
        await page.getByRole('alert').waitFor();
        expect(await page.locator('h1').textContent()).toBe('Not found');
        expect(await page.getByRole('alert').textContent()).toContain(`There is no attempt 99 of submission ${seed.showcase.submission}`);
        expect(await page.getByRole('link', { name: `Back to the class of quiz ${seed.quiz}` }).count()).toBe(1);
        expect(onlyRefusals(errors, 404)).toEqual([]);
      });

      // The store's answer when it is throttled (with Retry-After), and the gateway's when a client is over its rate.
      it.each<{ status: number; headers: Record<string, string>; body: unknown; title: string; advice: string }>([
        { status: 503, headers: { 'retry-after': '2' }, body: { errors: [{ message: 'The service is busy; retry shortly.' }] }, title: 'The quiz log service is busy', advice: 'Try again in 2 seconds' },
        { status: 429, headers: {}, body: { message: 'Too Many Requests' }, title: 'Too many requests', advice: 'Try again in a moment' },
      ])('$status: says to try again, and Try again loads the class', async ({ status, headers, body, title, advice }) => {
        // Arrange: the first API request is answered at the browser's network layer; the server answers the rest
        const refuseOnce = async (context: BrowserContext) => {
          let answered = false;
          await context.route('**/api/v1/**', (route) => {
            if (answered) return route.continue();
            answered = true;
            return route.fulfill({ status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
          });
        };
        const { page, errors } = await open(classQuery(), { prepare: refuseOnce });

        // Act
        await page.getByRole('alert').waitFor();
        const shownTitle = await page.locator('h1').textContent();
        const shownAdvice = await page.getByRole('alert').textContent();
        await expectAccessible(page, `${status} state`);
        await page.getByRole('button', { name: 'Try again' }).click();
        await classLoaded(page);

        // Assert
        expect(shownTitle).toBe(title);
        expect(shownAdvice).toContain(advice);
        expect(onlyRefusals(errors, status)).toEqual([]);
      });

      it('an empty quiz: nobody has sent events yet', async () => {
        const { page, errors } = await open(`?course=${seed.course}&quiz=${seed.emptyQuiz}`);
        await page.locator('h1', { hasText: 'No submissions yet' }).waitFor();
        expect(await page.locator('main').textContent()).toContain(`No student has sent quiz events for course ${seed.course}, quiz ${seed.emptyQuiz}`);
        expect(errors).toEqual([]);
      });

      it('an unknown submission: says so, and links back to the class', async () => {
        const { page, errors } = await open(`${classQuery()}&submission=nobody`);
        await page.locator('h1', { hasText: 'No such submission' }).waitFor();
        expect(await page.getByRole('link', { name: `Back to the class of quiz ${seed.quiz}` }).count()).toBe(1);
        expect(errors).toEqual([]);
      });

      it('no quiz chosen: a form asks for the course and quiz', async () => {
        const { page, errors } = await open('');
        await page.getByLabel('Course id').fill(seed.course);
        await page.getByLabel('Quiz id').fill(seed.quiz);
        await expectAccessible(page, 'start view');
        await page.getByRole('button', { name: 'Open the class' }).click();
        await classLoaded(page);
        expect(new URL(page.url()).search).toBe(classQuery());
        expect(errors).toEqual([]);
      });
    });
  });
}
