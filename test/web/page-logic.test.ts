import { describe, expect, it } from 'vitest';
import type { AttemptSummary } from '../../web/src/api-types.ts';
import { toCsv } from '../../web/src/csv.ts';
import { describeEvent, eventTypeLabel } from '../../web/src/event-description.ts';
import { formatDuration, toSeconds } from '../../web/src/format.ts';
import { linkWithRel } from '../../web/src/link-header.ts';
import { parseRoute, routeHref } from '../../web/src/route.ts';
import { parseSiteConfig } from '../../web/src/site-config.ts';
import { CLASS_COLUMNS, sortSummaries } from '../../web/src/views/class-columns.ts';

describe('the page’s wording of events, as Canvas’s quiz log words them', () => {
  it.each([
    ['session_started', null, 'Session started'],
    ['page_blurred', null, 'Stopped viewing the Canvas quiz-taking page...'],
    ['page_focused', null, 'Resumed.'],
    ['question_viewed', ['3'], 'Viewed (and possibly read) question #3'],
    ['question_viewed', [3, '4'], 'Viewed (and possibly read) the following questions: #3, #4'],
    ['question_flagged', { questionId: '5', flagged: true }, 'Flagged question #5'],
    ['question_flagged', { questionId: 5, flagged: false }, 'Unflagged question #5'],
    ['question_answered', [{ quiz_question_id: '6', answer: 'b' }], 'Answered question #6'],
    ['question_answered', [{ quiz_question_id: '6', answer: 'b' }, { quiz_question_id: '7', answer: ['x'] }], 'Answered the following questions: #6, #7'],
    ['question_answered', [{ quiz_question_id: '6', answer: null }], 'Cleared the answer to question #6'],
    ['submission_created', null, 'Submission created'],
    ['proctor_ping', { any: 'thing' }, 'Event “proctor_ping”'],
  ])('%s with %j reads “%s”', (type, data, text) => {
    expect(describeEvent(type, data)).toBe(text);
  });

  it.each([
    ['question_viewed', { not: 'a list' }],
    ['question_flagged', 'nonsense'],
    ['question_answered', [{ answer: 1 }]],
  ])('says so when %s carries event data it cannot read (%j)', (type, data) => {
    expect(describeEvent(type, data)).toMatch(/the event data names none/);
  });

  it('names unknown types by their own name in the filters', () => {
    expect(eventTypeLabel('page_blurred')).toBe('Left the quiz page');
    expect(eventTypeLabel('custom_type')).toBe('custom_type');
  });
});

describe('durations', () => {
  it.each([
    [0, '0:00'],
    [59_999, '0:59'],
    [90_000, '1:30'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
    [-14_000, '−0:14'],
    [null, '—'],
  ])('%s ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('are whole seconds in the CSV', () => {
    expect([toSeconds(90_400), toSeconds(90_600), toSeconds(null)]).toEqual(['90', '91', '']);
  });
});

describe('Link headers', () => {
  const header =
    '<https://api.example.edu/e?page=1&per_page=2>; rel="current",<https://api.example.edu/e?event_types=a%2Cb&page=bookmark:xyz&per_page=2>; rel="next",<https://api.example.edu/e?page=1&per_page=2>; rel="first"';

  it('yield the URL of the asked rel, commas in URLs included', () => {
    expect(linkWithRel(header, 'next')).toBe('https://api.example.edu/e?event_types=a%2Cb&page=bookmark:xyz&per_page=2');
    expect(linkWithRel(header, 'first')).toBe('https://api.example.edu/e?page=1&per_page=2');
  });

  it('yield nothing on the last page or without a header', () => {
    expect(linkWithRel('<https://api.example.edu/e?page=1>; rel="current"', 'next')).toBeUndefined();
    expect(linkWithRel(null, 'next')).toBeUndefined();
  });
});

describe('CSV', () => {
  it('quotes fields with quotes, commas and line breaks, and ends records with CRLF (RFC 4180)', () => {
    expect(toCsv([['a', 'b,c'], ['say "hi"', 'two\nlines']])).toBe('a,"b,c"\r\n"say ""hi""","two\nlines"\r\n');
  });
});

describe('routes', () => {
  it.each([
    ['', { view: 'start' }],
    ['?course=1&quiz=2', { view: 'class', course: '1', quiz: '2' }],
    ['?course=1&quiz=2&sort=longest&dir=desc', { view: 'class', course: '1', quiz: '2', sort: 'longest', direction: 'desc' }],
    ['?course=1&quiz=2&submission=sis:3', { view: 'attempt', course: '1', quiz: '2', submission: 'sis:3' }],
    ['?course=1&quiz=2&submission=3&attempt=2', { view: 'attempt', course: '1', quiz: '2', submission: '3', attempt: 2 }],
  ])('%s is read as %j, and written back the same', (search, route) => {
    expect(parseRoute(search)).toEqual(route);
    expect(parseRoute(routeHref(parseRoute(search)))).toEqual(route);
  });

  it.each([
    ['?course=1', /names no quiz/],
    ['?course=1%232&quiz=2', /course id .* not a valid id/],
    ['?course=1&quiz=2&submission=a/b', /submission id/],
    ['?course=1&quiz=2&submission=3&attempt=0', /attempt/],
    ['?course=1&quiz=2&submission=3&attempt=1e3', /attempt/],
  ])('%s goes to the start view, saying what is wrong', (search, problem) => {
    const route = parseRoute(search);
    expect(route.view).toBe('start');
    expect(route.view === 'start' && route.problem).toMatch(problem);
  });
});

describe('config.json', () => {
  it('reads the local and the OIDC forms', () => {
    expect(parseSiteConfig({ apiBaseUrl: '', auth: { type: 'local' } })).toEqual({ apiBaseUrl: '', auth: { type: 'local' } });
    const oidc = { apiBaseUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com', auth: { type: 'oidc', authority: 'https://idp.example.edu/', clientId: 'quiz-log', scopes: 'openid read' } };
    expect(parseSiteConfig(oidc)).toEqual(oidc);
  });

  it.each([
    [null, /not a JSON object/],
    [{ apiBaseUrl: 'javascript:alert(1)', auth: { type: 'local' } }, /apiBaseUrl/],
    [{ apiBaseUrl: '', auth: { type: 'oidc', authority: 'https://idp.example.edu/', clientId: '', scopes: 'openid' } }, /clientId/],
    [{ apiBaseUrl: '', auth: { type: 'magic' } }, /auth.type/],
  ])('refuses %j', (config, message) => {
    expect(() => parseSiteConfig(config)).toThrow(message);
  });
});

describe('sorting the class', () => {
  const summary = (submission_id: string, unfocused_ms_max: number, first_event_at: string | null = '2026-01-01T00:00:00.000Z') =>
    ({ submission_id, attempt: 1, unfocused_ms_max, first_event_at, questions: {}, unfocused_intervals: [], clock_fallback_count: 0, event_count: 1 }) as unknown as AttemptSummary;
  const column = (key: string) => CLASS_COLUMNS.find((candidate) => candidate.key === key)!;

  it('orders submission ids as a person reads them, 9 before 10', () => {
    const sorted = sortSummaries([summary('10', 0), summary('9', 0), summary('a', 0)], column('submission'), 'asc');
    expect(sorted.map((s) => s.submission_id)).toEqual(['9', '10', 'a']);
  });

  it('breaks ties by submission id in either direction, and puts missing values last', () => {
    const summaries = [summary('3', 5), summary('1', 5), summary('2', 9), summary('4', 0, null)];
    expect(sortSummaries(summaries, column('longest'), 'desc').map((s) => s.submission_id)).toEqual(['2', '1', '3', '4']);
    expect(sortSummaries(summaries, column('started'), 'asc').map((s) => s.submission_id)).toEqual(['1', '2', '3', '4']);
  });
});
