import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '#lib/http/types.ts';
import { SORT_KEY } from '#lib/store/table.ts';
import { batchBody, distinctEvents, httpEvent, submission } from '../test/support/http-events.ts';
import type { CannedAnswers } from './canned-dynamodb.ts';

export type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** As Lambda passes it: middy arms its early-timeout timer only when getRemainingTimeInMillis is there. */
export const lambdaContext = {
  awsRequestId: 'bench',
  functionName: 'bench',
  memoryLimitInMB: '512',
  getRemainingTimeInMillis: () => 10_000,
} as Context;

export interface WarmScenario {
  name: string;
  event: HttpEvent;
  answers: CannedAnswers;
  expectedStatus: number;
}

const path = submission('bench');

const postScenario = (count: number): WarmScenario => ({
  name: `warm POST ${count} event${count === 1 ? '' : 's'}`,
  event: httpEvent('POST', path, { body: batchBody(distinctEvents(count)) }),
  answers: {
    // A submission already under way, as on every POST but its first: no roster write is due.
    UpdateItem: JSON.stringify({ Attributes: { owner: { S: 'student-1' }, attempts: { NS: ['1'] }, eventCount: { N: '500' }, rosteredAttempt: { N: '1' } } }),
    BatchWriteItem: '{"UnprocessedItems":{}}',
  },
  expectedStatus: 204,
});

/** A full page and one more item, as DynamoDB answers ours and the baseline's Query with Limit perPage + 1. */
const getScenario = (perPage: number): WarmScenario => {
  const start = Date.parse('2014-10-08T19:00:00.000Z');
  const items = Array.from({ length: perPage + 1 }, (_, i) => ({
    pk: { S: 'course#1#quiz#2#submission#bench#attempt#1' },
    [SORT_KEY]: { S: `${new Date(start + i * 1000).toISOString()}#${'A'.repeat(21)}${i % 10}` },
    eventType: { S: i % 2 ? 'page_blurred' : 'question_viewed' },
    eventData: { S: i % 2 ? 'null' : `["${i}"]` },
    clientTimestamp: { S: new Date(start + i * 1000).toISOString() },
    receivedAt: { S: '2014-10-08T19:30:00.000Z' },
  }));
  return {
    name: `warm GET ${perPage} per page`,
    event: httpEvent('GET', path, { query: `attempt=1&per_page=${perPage}` }),
    answers: { Query: JSON.stringify({ Items: items, Count: items.length, ScannedCount: items.length }) },
    expectedStatus: 200,
  };
};

export const warmScenarios = (): WarmScenario[] => [
  postScenario(1),
  postScenario(25),
  postScenario(100),
  getScenario(10),
  getScenario(100),
];
