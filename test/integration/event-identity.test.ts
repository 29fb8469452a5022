import { describe, expect, it } from 'vitest';
import { type ReturnedEvent, useHandlersOnTestStore } from '../support/handlers.ts';
import type { ClientEvent } from '../support/http-events.ts';

/**
 * An event is stored under its time and a digest of its type, its event_data and its client timestamp
 * text. Events that differ in any one of these, at the same millisecond and in separate requests (so
 * that no repeat counter tells them apart), are separate events; the same content is one event.
 */

const harness = useHandlersOnTestStore('identity');
const at = '2014-10-08T19:29:58.123Z';
const base = { client_timestamp: at, event_type: 'question_flagged', event_data: { questionId: '1', flagged: true } };

/** Posts each event in a request of its own, then reads the attempt back. */
async function postSeparately(events: ClientEvent[]): Promise<ReturnedEvent[]> {
  const path = harness.fresh();
  for (const event of events) expect((await harness.api.post(path, [event])).status).toBe(204);
  return (await harness.api.walk(path, 'per_page=100')).pages.flat();
}

type Content = Pick<ClientEvent, 'event_type' | 'event_data' | 'client_timestamp'>;
const content = ({ event_type, event_data, client_timestamp }: Content): Content => ({ event_type, event_data, client_timestamp });

describe('events at the same instant, each sent in a batch of its own', () => {
  it.each<[string, ClientEvent, ClientEvent]>([
    ['event_type', base, { ...base, event_type: 'question_unflagged' }],
    ['event_data', base, { ...base, event_data: { questionId: '1', flagged: false } }],
    ['event_data types (a number for a string)', base, { ...base, event_data: { questionId: 1, flagged: true } }],
    ['event_data array order', { ...base, event_data: ['1', '2'] }, { ...base, event_data: ['2', '1'] }],
    ['client_timestamp spelling of one instant', base, { ...base, client_timestamp: '2014-10-08T21:29:58.123+02:00' }],
  ])('that differ only in their %s are both kept and both returned', async (_, first, other) => {
    // Act
    const stored = await postSeparately([first, other]);
    // Assert
    expect(stored).toHaveLength(2);
    expect(stored.map((event) => event.created_at)).toEqual([at, at]);
    expect(stored.map(content)).toEqual(expect.arrayContaining([content(first), content(other)]));
    expect(new Set(stored.map((event) => event.id)).size).toBe(2);
  });

  it('that are the same, resent, are one event', async () => {
    const stored = await postSeparately([base, { ...base, event_data: { flagged: true, questionId: '1' } }, base]);
    expect(stored.map(content)).toEqual([base]);
  });
});
