import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, spreadsheetSafe } from '../../scripts/export/csv.ts';
import { parseLinkHeader } from '../../web/src/link-header.ts';
import { firstPageUrl, parseExportOptions } from '../../scripts/export/options.ts';
import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../scripts/export/page-walker.ts';
import { eventsCsv, jsonLines, SUMMARY_COLUMNS, summariesCsv } from '../../scripts/export/rows.ts';
import { parseJson } from '#lib/domain/json-text.ts';

describe('CSV fields (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\ronly', '"cr\ronly"'],
    ['crlf\r\n', '"crlf\r\n"'],
    [' spaces kept ', ' spaces kept '],
    ['😀é', '😀é'],
  ])('writes %j as %j', (text, field) => {
    expect(csvField(text)).toBe(field);
  });

  it('ends every record with CRLF', () => {
    expect(csvRecord(['a', 'b,c', ''])).toBe('a,"b,c",\r\n');
  });

  it('reads back as the same fields with an independent parser, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (records) => {
        const width = records[0]!.length;
        const rows = records.map((record) => record.concat(Array(width).fill('x')).slice(0, width));
        expect(parseCsv(rows.map(csvRecord).join(''))).toEqual(rows);
      }),
    );
  });

  it('defuses what a spreadsheet would run as a formula, only when asked', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', 'ok', '1'].map(spreadsheetSafe)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", 'ok', '1']);
  });
});

describe('Link headers', () => {
  const page = 'https://events.example.com/api/v1/courses/1/quizzes/2/submission_events?per_page=10';

  it("reads Canvas's header", () => {
    const header =
      '<https://events.example.com/api/v1/courses/1/quizzes/2/submission_events?event_types=a,b&page=1&per_page=10>; rel="current",' +
      '<https://events.example.com/api/v1/courses/1/quizzes/2/submission_events?event_types=a,b&page=bookmark:abc&per_page=10>; rel="next",' +
      '<https://events.example.com/api/v1/courses/1/quizzes/2/submission_events?event_types=a,b&page=1&per_page=10>; rel="first"';
    const links = parseLinkHeader(header, page);
    expect(links.get('next')).toBe('https://events.example.com/api/v1/courses/1/quizzes/2/submission_events?event_types=a,b&page=bookmark:abc&per_page=10');
    expect([...links.keys()]).toEqual(['current', 'next', 'first']);
  });

  it('reads unquoted and multiple rels, spaces, other parameters, relative URLs, any case', () => {
    const links = parseLinkHeader('</x?page=2>; title="a, b"; REL=Next , <https://other.example/y> ; rel="last prev"', page);
    expect(links.get('next')).toBe('https://events.example.com/x?page=2');
    expect(links.get('last')).toBe('https://other.example/y');
    expect(links.get('prev')).toBe('https://other.example/y');
  });

  it.each([[undefined], [null], [''], ['garbage'], ['<https://x.example/>'], ['<http://[bad>; rel="next"']])('finds no next in %j', (header) => {
    expect(parseLinkHeader(header, page).get('next')).toBeUndefined();
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2014-10-08T19:00:00Z');
  it.each([
    ['0', 0],
    ['5', 5000],
    [' 2 ', 2000],
    ['86400', MAX_RETRY_AFTER_MS],
    ['Wed, 08 Oct 2014 19:00:30 GMT', 30_000],
    ['Wed, 08 Oct 2014 18:00:00 GMT', 0],
  ])('reads %j as %i ms', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms);
  });

  it.each([[null], ['soon'], ['-1'], ['1.5']])('reads %j as no instruction', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined();
  });
});

describe('export options', () => {
  const base = ['--api', 'https://events.example.com/prod/', '--token', 't', '--course', 'sis:C-1', '--quiz', '2'];

  it('asks for the feed, latest attempt, the largest page', () => {
    expect(firstPageUrl(parseExportOptions(base, {}))).toBe(
      'https://events.example.com/prod/api/v1/courses/sis:C-1/quizzes/2/submission_events?attempt=latest&per_page=100',
    );
  });

  it('asks for summaries 25 a page', () => {
    expect(firstPageUrl(parseExportOptions([...base, '--summaries', '--attempt', '3', '--submission', '9'], {}))).toBe(
      'https://events.example.com/prod/api/v1/courses/sis:C-1/quizzes/2/submission_events/summary?attempt=3&submission_ids[]=9&per_page=25',
    );
  });

  it('takes the token from QUIZ_EVENTS_TOKEN when --token is absent', () => {
    expect(parseExportOptions(base.slice(0, 2).concat(base.slice(4)), { QUIZ_EVENTS_TOKEN: 'from-env' }).token).toBe('from-env');
  });

  it('percent-encodes filter values', () => {
    const url = firstPageUrl(parseExportOptions([...base, '--event-types', 'a&b,c d', '--start', '2014-10-08T21:00:00+02:00'], {}));
    expect(url).toContain('event_types[]=a%26b&event_types[]=c%20d&start_time=2014-10-08T21%3A00%3A00%2B02%3A00');
  });
});

describe('export rows', () => {
  const event = parseJson(
    '{"id":"i1","event_type":"=x","event_data":{"n":12345678901234567890,"s":"a,\\"b\\"\\n"},"created_at":"2014-10-08T19:29:58.123Z","client_timestamp":null,"received_at":"2014-10-08T19:30:12.410Z","submission_id":"3","attempt":1}',
  );

  it('writes an event as its eight columns, event_data as its JSON text', () => {
    const { header, lines } = eventsCsv();
    expect(header).toBe('submission_id,attempt,id,event_type,created_at,client_timestamp,received_at,event_data\r\n');
    expect(lines([event])).toBe('3,1,i1,=x,2014-10-08T19:29:58.123Z,,2014-10-08T19:30:12.410Z,"{""n"":12345678901234567890,""s"":""a,\\""b\\""\\n""}"\r\n');
  });

  it('writes a JSON string event_data with its quotes, so it reads back as a string', () => {
    const text = parseJson('{"id":"i","event_type":"t","event_data":"1","created_at":"c","client_timestamp":"t","received_at":"r","submission_id":"s","attempt":1}');
    expect((parseCsv(eventsCsv().lines([text])) as string[][])[0]![7]).toBe('"1"');
  });

  it('defuses formulas in text columns but leaves numbers alone, when asked', () => {
    const row = parseCsv(eventsCsv({ spreadsheetSafe: true }).lines([event]))[0] as string[];
    expect(row[3]).toBe("'=x");
    expect(row[1]).toBe('1');
  });

  it('writes a lone surrogate as U+FFFD in CSV, and keeps it escaped in JSON Lines', () => {
    const odd = parseJson('{"id":"i","event_type":"\\ud800","event_data":"\\udc00","created_at":"c","client_timestamp":null,"received_at":"r","submission_id":"s","attempt":1}');
    const csv = Buffer.from(eventsCsv().lines([odd])).toString();
    expect(csv).toContain(',\ufffd,');
    expect(csv).toContain('"\\udc00"');
    expect(jsonLines.lines([odd])).toContain('"event_type":"\\ud800"');
  });

  it('writes JSON Lines with numbers kept as sent', () => {
    expect(jsonLines.lines([event])).toContain('"n":12345678901234567890');
  });

  it('writes a summary with counts of unknown types in one JSON column, "__proto__" included', () => {
    const summary = parseJson(
      '{"submission_id":"3","attempt":1,"event_count":3,"event_counts":{"__proto__":1,"custom":1,"page_blurred":1},"first_event_at":null,"last_event_at":null,"duration_ms":null,"session_count":0,"blur_count":1,"unfocused_intervals":[],"unfocused_ms_total":0,"unfocused_ms_max":0,"questions":{},"max_receive_lag_ms":-5,"clock_fallback_count":0}',
    );
    const [row] = parseCsv(summariesCsv({ spreadsheetSafe: true }).lines([summary])) as string[][];
    const cell = (name: string) => row![SUMMARY_COLUMNS.indexOf(name as never)];
    expect(cell('event_counts.other')).toBe('{"__proto__":1,"custom":1}');
    expect(cell('event_counts.page_blurred')).toBe('1');
    expect(cell('event_counts.session_started')).toBe('0');
    expect(cell('max_receive_lag_ms')).toBe('-5');
    expect(cell('first_event_at')).toBe('');
  });
});
