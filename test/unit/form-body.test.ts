import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#lib/domain/errors.ts';
import { MAX_FORM_FIELDS, MAX_FORM_NESTING } from '#lib/domain/limits.ts';
import { readMultipartBody, readUrlencodedBody } from '#lib/http/form-body.ts';
import { eventType, pastClientTimestamp } from '../support/arbitraries.ts';
import { batchFields, CURL_BOUNDARY, curlMultipartBody, type FormEvent, type FormValue, multipartPart, urlencodedBody } from '../support/form-bodies.ts';

const refusal = (read: () => unknown): BadRequestError => {
  try {
    read();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('urlencoded bodies read as Rails reads them', () => {
  // Rack's own expectations (rack/test/spec_utils.rb, "parse nested query strings correctly" and
  // "handles unexpected use of [ and ]"), except where Rails drops nulls from arrays (marked).
  it.each<[string, unknown]>([
    ['foo', { foo: null }],
    ['foo=', { foo: '' }],
    ['foo=bar', { foo: 'bar' }],
    ['foo="bar"', { foo: '"bar"' }],
    ['foo=bar&foo=quux', { foo: 'quux' }],
    ['foo&foo=', { foo: '' }],
    ['&foo=1&&bar=2', { foo: '1', bar: '2' }],
    ['foo&bar=', { foo: null, bar: '' }],
    ['my+weird+field=q1%212%22%27w%245%267%2Fz8%29%3F', { 'my weird field': 'q1!2"\'w$5&7/z8)?' }],
    ['a=b&pid%3D1234=1023', { 'pid=1234': '1023', a: 'b' }],
    ['foo[]', { foo: [] }], // Rails; Rack gives [nil]
    ['foo[]=', { foo: [''] }],
    ['foo[]=bar', { foo: ['bar'] }],
    ['foo[]=bar&foo', { foo: null }],
    ['foo[]=bar&foo[', { foo: ['bar'], 'foo[': null }],
    ['foo[]=bar&foo[=baz', { foo: ['bar'], 'foo[': 'baz' }],
    ['foo[]=bar&foo[]', { foo: ['bar'] }], // Rails; Rack gives ["bar", nil]
    ['foo[]=bar&foo[]=', { foo: ['bar', ''] }],
    ['foo[]=1&foo[]=2', { foo: ['1', '2'] }],
    ['x[y][z]', { x: { y: { z: null } } }],
    ['x[y][z]=1', { x: { y: { z: '1' } } }],
    ['x[y][z][]=1', { x: { y: { z: ['1'] } } }],
    ['x[y][z]=1&x[y][z]=2', { x: { y: { z: '2' } } }],
    ['x[y][z][]=1&x[y][z][]=2', { x: { y: { z: ['1', '2'] } } }],
    ['x[y][][z]=1', { x: { y: [{ z: '1' }] } }],
    ['x[y][][z][]=1', { x: { y: [{ z: ['1'] }] } }],
    ['x[y][][z]=1&x[y][][w]=2', { x: { y: [{ z: '1', w: '2' }] } }],
    ['x[y][][v][w]=1', { x: { y: [{ v: { w: '1' } }] } }],
    ['x[y][][z]=1&x[y][][v][w]=2', { x: { y: [{ z: '1', v: { w: '2' } }] } }],
    ['x[y][][z]=1&x[y][][z]=2', { x: { y: [{ z: '1' }, { z: '2' }] } }],
    ['x[y][][z]=1&x[y][][w]=a&x[y][][z]=2&x[y][][w]=3', { x: { y: [{ z: '1', w: 'a' }, { z: '2', w: '3' }] } }],
    ['x[][y]=1&x[][z][w]=a&x[][y]=2&x[][z][w]=b', { x: [{ y: '1', z: { w: 'a' } }, { y: '2', z: { w: 'b' } }] }],
    ['x[][z][w]=a&x[][y]=1&x[][z][w]=b&x[][y]=2', { x: [{ y: '1', z: { w: 'a' } }, { y: '2', z: { w: 'b' } }] }],
    ['data[books][][data][page]=1&data[books][][data][page]=2', { data: { books: [{ data: { page: '1' } }, { data: { page: '2' } }] } }],
    ['x[][y][][z]=1&x[][y][][w]=2', { x: [{ y: [{ z: '1', w: '2' }] }] }],
    ['[]=1&[a]=2&b[=3&c]=4', { '[]': '1', '[a]': '2', 'b[': '3', 'c]': '4' }],
    ['d[[]=5&e][]=6&f[[]]=7', { d: { '[': '5' }, 'e]': ['6'], f: { '[': { ']': '7' } } }],
    ['g[h]i=8&j[k]l[m]=9', { g: { h: { i: '8' } }, j: { k: { 'l[m]': '9' } } }],
    ['l[[[[[[[[]]]]]]]=10', { l: { '[[[[[[[': { ']]]]]]': '10' } } }],
  ])('%s', (body, expected) => {
    expect(readUrlencodedBody(body)).toEqual(expected);
  });

  it.each(['x[y]=1&x[y]z=2', 'x[y]=1&x[]=1', 'x[y]=1&x[y][][w]=2', 'x[]=1&x[y]=2'])(
    'refuses %s, which uses one name as two kinds of value',
    (body) => {
      expect(refusal(() => readUrlencodedBody(body)).message).toMatch(/needs "(x|y)" to be an? (array|hash)/);
    },
  );

  it('starts a new event when a field repeats one the last event already has', () => {
    const body =
      'quiz_submission_events[][event_type]=page_blurred&quiz_submission_events[][event_data][questionId]=3' +
      '&quiz_submission_events[][event_type]=page_focused&quiz_submission_events[][event_data][questionId]=4';
    expect(readUrlencodedBody(body)).toEqual({
      quiz_submission_events: [
        { event_type: 'page_blurred', event_data: { questionId: '3' } },
        { event_type: 'page_focused', event_data: { questionId: '4' } },
      ],
    });
  });

  it('reads every value as a string, as Canvas does', () => {
    const body = 'quiz_submission_events[][event_type]=question_flagged&quiz_submission_events[][event_data][flagged]=true&quiz_submission_events[][event_data][questionId]=3&attempt=2';
    expect(readUrlencodedBody(body)).toEqual({
      quiz_submission_events: [{ event_type: 'question_flagged', event_data: { flagged: 'true', questionId: '3' } }],
      attempt: '2',
    });
  });

  it('reads an empty value as "" and a name without = as null', () => {
    expect(readUrlencodedBody('quiz_submission_events[][event_type]=t&quiz_submission_events[][event_data]=')).toEqual({
      quiz_submission_events: [{ event_type: 't', event_data: '' }],
    });
    expect(readUrlencodedBody('quiz_submission_events[][event_type]=t&quiz_submission_events[][event_data]')).toEqual({
      quiz_submission_events: [{ event_type: 't', event_data: null }],
    });
  });

  it('reads quiz_submission_events[] without a value as an empty batch, as Rails does', () => {
    expect(readUrlencodedBody('quiz_submission_events[]')).toEqual({ quiz_submission_events: [] });
  });

  it('decodes + as a space, percent-encoded brackets and UTF-8, and skips spaces after &', () => {
    expect(readUrlencodedBody('quiz_submission_events%5B%5D%5Bevent_type%5D=a+b%C3%A9&  c=1')).toEqual({
      quiz_submission_events: [{ event_type: 'a bé' }],
      c: '1',
    });
  });

  it('keeps "__proto__" and "constructor" as ordinary keys', () => {
    const params = readUrlencodedBody('__proto__[x]=1&constructor=2&a[__proto__]=3') as Record<string, unknown>;
    expect(Object.keys(params)).toEqual(['__proto__', 'constructor', 'a']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(JSON.stringify(params)).toBe('{"__proto__":{"x":"1"},"constructor":"2","a":{"__proto__":"3"}}');
  });
});

describe('indexed events', () => {
  it('turns quiz_submission_events[N][…] into a list in index order', () => {
    const body = 'quiz_submission_events[1][event_type]=b&quiz_submission_events[0][event_type]=a&quiz_submission_events[1][event_data][x]=2&quiz_submission_events[10][event_type]=k' +
      Array.from({ length: 8 }, (_, i) => `&quiz_submission_events[${i + 2}][event_type]=${i + 2}`).join('');
    const events = (readUrlencodedBody(body) as { quiz_submission_events: { event_type: string }[] }).quiz_submission_events;
    expect(events.map((event) => event.event_type)).toEqual(['a', 'b', '2', '3', '4', '5', '6', '7', '8', '9', 'k']);
    expect(events[1]).toEqual({ event_type: 'b', event_data: { x: '2' } });
  });

  it.each([
    ['a gap', 'quiz_submission_events[0][event_type]=a&quiz_submission_events[2][event_type]=c'],
    ['a huge index', 'quiz_submission_events[99999999][event_type]=a'],
    ['a leading zero', 'quiz_submission_events[00][event_type]=a'],
    ['a named entry among indexed ones', 'quiz_submission_events[0][event_type]=a&quiz_submission_events[x][event_type]=b'],
  ])('refuses %s, naming quiz_submission_events', (_, body) => {
    const error = refusal(() => readUrlencodedBody(body));
    expect(error.field).toBe('quiz_submission_events');
    expect(error.message).toMatch(/from 0 without gaps/);
  });

  it.each([
    'quiz_submission_events[][event_type]=a&quiz_submission_events[1][event_type]=b',
    'quiz_submission_events[0][event_type]=a&quiz_submission_events[][event_type]=b',
  ])('refuses indexed and unindexed events mixed: %s', (body) => {
    expect(refusal(() => readUrlencodedBody(body)).message).toMatch(/needs "quiz_submission_events" to be an? (array|hash)/);
  });

  it('keeps a hash keyed by numbers inside event_data a hash, as Canvas stores it', () => {
    expect(readUrlencodedBody('quiz_submission_events[][event_type]=t&quiz_submission_events[][event_data][0]=a&quiz_submission_events[][event_data][12345678]=b')).toEqual({
      quiz_submission_events: [{ event_type: 't', event_data: { 0: 'a', 12345678: 'b' } }],
    });
  });
});

describe('limits of urlencoded bodies', () => {
  it(`reads names nested ${MAX_FORM_NESTING - 1} levels and refuses ${MAX_FORM_NESTING}`, () => {
    expect(() => readUrlencodedBody(`foo${'[a]'.repeat(MAX_FORM_NESTING - 1)}=bar`)).not.toThrow();
    expect(refusal(() => readUrlencodedBody(`foo${'[a]'.repeat(MAX_FORM_NESTING)}=bar`)).message).toMatch(/nests deeper than 32 levels/);
  });

  it('refuses 10,000 levels of brackets without going deep, and reads 10,000 unclosed ones as one key', () => {
    expect(refusal(() => readUrlencodedBody(`a${'[]'.repeat(10_000)}=1`)).message).toMatch(/nests deeper/);
    expect(refusal(() => readUrlencodedBody(`a${'[b]'.repeat(10_000)}=1`)).message).toMatch(/nests deeper/);
    expect(readUrlencodedBody(`a${'['.repeat(10_000)}=1`)).toEqual({ a: { ['['.repeat(10_000)]: '1' } });
  });

  it(`refuses more than ${MAX_FORM_FIELDS} fields`, () => {
    expect(() => readUrlencodedBody('a[]=&'.repeat(MAX_FORM_FIELDS))).not.toThrow();
    expect(refusal(() => readUrlencodedBody('a[]=&'.repeat(MAX_FORM_FIELDS + 1))).message).toBe(`the form must have at most ${MAX_FORM_FIELDS} fields`);
  });

  it.each(['a=%', 'a=%zz', 'a%2=1', 'a=100%'])('refuses the invalid %%-escape in %s', (body) => {
    expect(refusal(() => readUrlencodedBody(body)).message).toMatch(/invalid %-escape/);
  });

  it.each([
    ['a byte that starts no character', 'a=%FF'],
    ['a cut-off character', 'a=%C3'],
    ['an encoded surrogate', 'a=%ED%A0%80'],
    ['an overlong encoding', 'a=%C0%AF'],
    ['a name that is not UTF-8', 'a%81=1'],
    ['a lone surrogate in the text', 'a=\ud800'],
  ])('refuses %s as not UTF-8', (_, body) => {
    expect(refusal(() => readUrlencodedBody(body)).message).toBe('the body is not valid UTF-8');
  });
});

describe('multipart bodies', () => {
  const read = (body: string | Buffer, contentType = `multipart/form-data; boundary=${CURL_BOUNDARY}`) =>
    readMultipartBody(typeof body === 'string' ? Buffer.from(body) : body, contentType);
  const end = `--${CURL_BOUNDARY}--\r\n`;
  const field = (name: string, value: string) => multipartPart([`Content-Disposition: form-data; name="${name}"`], value);

  it('reads curl -F fields with the same rules as a urlencoded body', async () => {
    const { body, contentType } = curlMultipartBody([
      ['quiz_submission_events[][event_type]', 'question_flagged'],
      ['quiz_submission_events[][event_data][flagged]', 'true'],
      ['quiz_submission_events[][event_type]', 'page_blurred'],
      ['quiz_submission_events[][event_data]', ''],
      ['attempt', '1'],
    ]);
    await expect(read(body, contentType)).resolves.toEqual({
      quiz_submission_events: [{ event_type: 'question_flagged', event_data: { flagged: 'true' } }, { event_type: 'page_blurred', event_data: '' }],
      attempt: '1',
    });
  });

  it('refuses a file part, naming its field', async () => {
    const body = field('quiz_submission_events[][event_type]', 't') +
      multipartPart(['Content-Disposition: form-data; name="quiz_submission_events[][event_data]"; filename="data.json"', 'Content-Type: application/json'], '{}') + end;
    await expect(read(body)).rejects.toThrow('the form field "quiz_submission_events[][event_data]" is a file; this API takes only plain fields');
  });

  it('skips a file input left empty, as Rack does', async () => {
    const body = field('quiz_submission_events[][event_type]', 't') +
      multipartPart(['Content-Disposition: form-data; name="attachment"; filename=""', 'Content-Type: application/octet-stream'], '') + end;
    await expect(read(body)).resolves.toEqual({ quiz_submission_events: [{ event_type: 't' }] });
  });

  it('reads UTF-8 values and refuses bytes that are not UTF-8', async () => {
    await expect(read(field('a', 'bé😀') + end)).resolves.toEqual({ a: 'bé😀' });
    const latin1 = Buffer.concat([Buffer.from(field('a', '').slice(0, -2)), Buffer.from([0xe9]), Buffer.from(`\r\n${end}`)]);
    await expect(read(latin1)).rejects.toThrow('the body is not valid UTF-8');
  });

  it.each([
    ['an unterminated body', field('a', '1')],
    ['a body that is not multipart', 'a=1'],
    ['an empty body', ''],
    ['a part without a name', multipartPart(['Content-Disposition: form-data'], 'v') + end],
  ])('refuses %s', async (_, body) => {
    await expect(read(body)).rejects.toThrow('the body is not valid multipart/form-data');
  });

  it('refuses a Content-Type without a boundary', async () => {
    await expect(read(field('a', '1') + end, 'multipart/form-data')).rejects.toThrow('the body is not valid multipart/form-data');
  });

  it('applies the same nesting and field limits', async () => {
    await expect(read(field(`a${'[b]'.repeat(MAX_FORM_NESTING)}`, '1') + end)).rejects.toThrow(/nests deeper than 32 levels/);
    const { body } = curlMultipartBody(Array.from({ length: MAX_FORM_FIELDS + 1 }, () => ['a[]', ''] as const));
    await expect(read(body)).rejects.toThrow(`the form must have at most ${MAX_FORM_FIELDS} fields`);
  });
});

describe('any batch a form can carry', () => {
  const wellFormed = (text: string) => !/\p{Cs}/u.test(text);
  const text = fc.string({ unit: 'grapheme', maxLength: 20 });
  // Names as browsers and curl send them: no brackets inside a key, no quote or line break in a part's name.
  const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((name) => !/[[\]"\r\n]/.test(name));
  const { value: formValue } = fc.letrec<{ value: FormValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.array(text, { minLength: 1, maxLength: 4 }),
      fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 4 }),
    ),
  }));
  const formEvent: fc.Arbitrary<FormEvent> = fc
    .record(
      { event_type: eventType().filter(wellFormed), client_timestamp: pastClientTimestamp(), event_data: formValue },
      { requiredKeys: ['event_type'] },
    )
    // event_type first in every event, so that each event's first field starts it.
    .map(({ event_type, ...rest }) => ({ event_type, ...rest }));
  const formBatch = fc.array(formEvent, { minLength: 1, maxLength: 8 });

  it('reads back exactly as sent, urlencoded, numbered, or multipart', async () => {
    await fc.assert(
      fc.asyncProperty(formBatch, async (events) => {
        const expected = { quiz_submission_events: events };
        expect(readUrlencodedBody(urlencodedBody(batchFields(events)))).toEqual(expected);
        expect(readUrlencodedBody(urlencodedBody(batchFields(events, { indexed: true })))).toEqual(expected);
        const { body, contentType } = curlMultipartBody(batchFields(events));
        expect(await readMultipartBody(body, contentType)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
