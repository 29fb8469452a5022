import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DEFAULT_COURSE_CLAIM } from '#lib/auth/list-claim.ts';
import { createReaderHandler } from '#lib/handlers/reader.ts';
import { createWriterHandler } from '#lib/handlers/writer.ts';
import type { ClaimNames } from '#lib/http/caller.ts';
import type { EventStore } from '#lib/domain/event-store.ts';
import type { HttpEvent } from '#lib/http/types.ts';
import { parseLinks, type ReturnedEvent } from './api-shapes.ts';
import { checkAnswer, lowerCaseHeaders, routeOfKey } from './openapi-answers.ts';
import { batchBody, type ClientEvent, type EventOptions, httpEvent, routeEvent, submission, type SubmissionPath } from './http-events.ts';
import type { RouteIdServedBy } from '#lib/routes.ts';
import { startTestStore, type TestStore } from './test-store.ts';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: any;
}

const context = { awsRequestId: 'test' } as Context;

export type { ReturnedEvent };
export { parseLinks };

/** Both functions' handlers, built as Lambda builds them, over a given store. */
export function handlersOver(store: EventStore, claims: Partial<ClaimNames> = {}) {
  const dependencies = { store, courseClaim: DEFAULT_COURSE_CLAIM, ...claims };
  const postHandler = createWriterHandler(dependencies);
  const getHandler = createReaderHandler(dependencies);
  /** Runs a handler on an event; its answer is checked against docs/openapi.json (openapi-answers.ts). */
  const answer = async (handler: typeof postHandler, event: HttpEvent, handlerContext = context): Promise<Answer> => {
    const result = await handler(event, handlerContext);
    const body = result.body ?? '';
    const status = result.statusCode ?? 200;
    const headers = (result.headers ?? {}) as Record<string, string>;
    checkAnswer(routeOfKey(event.routeKey), `${event.routeKey} ${event.rawQueryString}`, { status, headers: lowerCaseHeaders(headers), body });
    return { status, headers, body, json: body && result.headers?.['content-type'] ? JSON.parse(body) : undefined };
  };

  const api = {
    postRaw: (path: SubmissionPath, options: EventOptions) => answer(postHandler, httpEvent('POST', path, options)),
    post: (path: SubmissionPath, events: ClientEvent[], options: EventOptions & { extra?: Record<string, unknown> } = {}) =>
      api.postRaw(path, { body: batchBody(events, options.extra), ...options }),
    get: (path: SubmissionPath, query = '', options: EventOptions = {}) => answer(getHandler, httpEvent('GET', path, { ...options, query })),
    /** Any reader route, e.g. call('getQuizEvents', { course_id: '1', quiz_id: '2' }, 'per_page=5'). */
    call: (id: RouteIdServedBy<'reader'>, pathParameters: Record<string, string>, query = '', options: EventOptions & { context?: Context } = {}) =>
      answer(getHandler, routeEvent(id, pathParameters, { ...options, query }), options.context),
    /** Follows rel="next" on any reader route; returns every page's answer. */
    async walkRoute(id: RouteIdServedBy<'reader'>, pathParameters: Record<string, string>, query = '', options: EventOptions & { context?: Context } = {}): Promise<Answer[]> {
      const pages: Answer[] = [];
      let next: string | undefined = query;
      while (next !== undefined) {
        const page = await api.call(id, pathParameters, next, options);
        if (page.status !== 200) throw new Error(`page ${pages.length + 1}: ${page.status} ${page.body}`);
        pages.push(page);
        const nextUrl = parseLinks(page.headers.link).next;
        next = nextUrl === undefined ? undefined : new URL(nextUrl).search.slice(1);
      }
      return pages;
    },
    /** Follows rel="next" from the first page to the last; returns every page's events in order. */
    async walk(path: SubmissionPath, query = '', options: EventOptions = {}): Promise<{ pages: ReturnedEvent[][]; links: string[] }> {
      const pages: ReturnedEvent[][] = [];
      const links: string[] = [];
      let next: string | undefined = query;
      while (next !== undefined) {
        const page = await api.get(path, next, options);
        if (page.status !== 200) throw new Error(`page ${pages.length + 1}: ${page.status} ${page.body}`);
        pages.push(page.json.quiz_submission_events);
        links.push(page.headers.link!);
        const nextUrl = parseLinks(page.headers.link).next;
        next = nextUrl === undefined ? undefined : new URL(nextUrl).search.slice(1);
      }
      return { pages, links };
    },
  };
  return api;
}

export interface HandlerHarness {
  db: TestStore;
  api: ReturnType<typeof handlersOver>;
  /** A submission no other test of the file touches. */
  fresh(): SubmissionPath;
}

/**
 * For a test file: one in-memory store and both handlers over it, with the DynamoDB call log
 * cleared before each test. Read the fields inside tests (they are set in beforeAll).
 */
export function useHandlersOnTestStore(prefix: string, claims: Partial<ClaimNames> = {}): HandlerHarness {
  let n = 0;
  const harness = { fresh: () => submission(`${prefix}-${++n}`) } as HandlerHarness;
  beforeAll(async () => {
    harness.db = await startTestStore();
    harness.api = handlersOver(harness.db.store, claims);
  });
  afterAll(() => harness.db.close());
  beforeEach(() => {
    harness.db.calls.length = 0;
  });
  return harness;
}
