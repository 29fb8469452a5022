import { describe, expect, it } from 'vitest';
import { attemptPartitionKey, EventAttribute, PARTITION_KEY, SORT_KEY, SUBMISSION_SORT_KEY, SubmissionAttribute, submissionPartitionKey } from '#lib/store/table.ts';
import { eventKey } from '#lib/domain/event-key.ts';
import { CHANGE_FILTER_PATTERNS, CREATED_AT_LENGTH, EVENT_KEY_PARTS } from '../../infra/analytics/change-records.ts';
import { matchesAnyPattern } from '../support/event-pattern.ts';

const ref = { courseId: 'c-1', quizId: 'q.2', submissionId: 's~3', attempt: 4 };
const eventKeys = { [PARTITION_KEY]: { S: attemptPartitionKey(ref) }, [SORT_KEY]: { S: eventKey('2014-10-08T19:29:58.123Z', 'a'.repeat(22)) } };
const submissionKeys = { [PARTITION_KEY]: { S: submissionPartitionKey(ref) }, [SORT_KEY]: { S: SUBMISSION_SORT_KEY } };
// The roster item of the table layout: one per submission, in its quiz's partition.
const rosterKeys = { [PARTITION_KEY]: { S: 'course#c-1#quiz#q.2' }, [SORT_KEY]: { S: 'submission' } };

const change = (eventName: string, keys: object, newImage?: object) => ({ eventName, dynamodb: { Keys: keys, ...(newImage && { NewImage: { ...keys, ...newImage } }) } });
const passes = (record: object) => matchesAnyPattern(record, CHANGE_FILTER_PATTERNS);

describe("the pipe's filter", () => {
  const eventImage = { [EventAttribute.eventType]: { S: 'page_blurred' }, [EventAttribute.eventData]: { S: 'null' }, [EventAttribute.receivedAt]: { S: '2014-10-08T19:30:00.000Z' } };

  it.each(['INSERT', 'MODIFY'])('keeps every %s of an event item', (eventName) => {
    expect(passes(change(eventName, eventKeys, eventImage))).toBe(true);
  });

  it('keeps a submission item when it is created, not when a later batch updates it', () => {
    const image = { [SubmissionAttribute.owner]: { S: 'student-1' }, [SubmissionAttribute.attempts]: { NS: ['1'] } };
    expect(passes(change('INSERT', submissionKeys, image))).toBe(true);
    expect(passes(change('MODIFY', submissionKeys, image))).toBe(false);
  });

  it('drops roster items, even of a submission whose id is the submission item\'s sort key', () => {
    expect(passes(change('INSERT', rosterKeys, { currentAttempt: { N: '1' } }))).toBe(false);
    expect(passes(change('MODIFY', rosterKeys, { currentAttempt: { N: '2' } }))).toBe(false);
  });

  it('drops deletions (TTL), which carry no new image', () => {
    expect(passes(change('REMOVE', eventKeys))).toBe(false);
    expect(passes(change('REMOVE', submissionKeys))).toBe(false);
  });
});

describe('the key decoding the queries use', () => {
  it("finds each id where the table module's key builders put it", () => {
    // Act
    const parts = attemptPartitionKey(ref).split('#');

    // Assert
    expect(parts[EVENT_KEY_PARTS.course - 1]).toBe(ref.courseId);
    expect(parts[EVENT_KEY_PARTS.quiz - 1]).toBe(ref.quizId);
    expect(parts[EVENT_KEY_PARTS.submission - 1]).toBe(ref.submissionId);
    expect(parts[EVENT_KEY_PARTS.attempt - 1]).toBe(String(ref.attempt));
    expect(submissionPartitionKey(ref).split('#').slice(0, EVENT_KEY_PARTS.submission)).toEqual(parts.slice(0, EVENT_KEY_PARTS.submission));
    expect(eventKeys[SORT_KEY].S.slice(0, CREATED_AT_LENGTH)).toBe('2014-10-08T19:29:58.123Z');
  });
});
