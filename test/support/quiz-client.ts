/**
 * A model of Canvas's quiz client, for reliability runs: it buffers events and POSTs its whole pending
 * buffer, keeping it after any failure and resending it next time. Transport-agnostic (in-process
 * handlers, HTTP to a local server, a child process), and free of the function modules, so that a test
 * of the local server or a script may use it.
 */
import { canonicalJson } from '#lib/domain/json-text.ts';
import type { ReturnedEvent } from './api-shapes.ts';
import type { ClientEvent } from './http-events.ts';

/** What came back for one POST: a status, or no answer at all. */
export type PostOutcome = { status: number; retryAfter?: string | undefined } | { status: 'no-answer' };

/** Sends one batch body; resolves with the outcome, never rejects. */
export type SendBatch = (body: string) => Promise<PostOutcome>;

/** A small seeded PRNG (mulberry32), so a run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface QuizClientOptions {
  /** Unique among the clients of a run; it is part of every event's data, so two clients never send the same event. */
  name: string;
  send: SendBatch;
  random: () => number;
  /** The client's clock when it starts; it advances by up to 2 s an event. */
  clockMs: number;
  /** Chance that the network loses the answer to a request that went through: the client resends. */
  lostAnswerRate?: number;
  /** Chance that an event is an exact copy of the one before (same type, data and time), in the same buffer. */
  repeatRate?: number;
  /** Characters of filler in every event's data, to make events costly to store. */
  padding?: number;
}

const EVENT_TYPES = ['session_started', 'page_blurred', 'page_focused', 'question_viewed', 'question_flagged', 'question_answered'];

export class QuizClient {
  readonly name: string;
  /** Every event this client generated, in order; each must end up stored exactly once. */
  readonly generated: ClientEvent[] = [];
  /** Not yet acknowledged with 204. */
  pending: ClientEvent[] = [];
  /** Outcome of every POST, in order. */
  readonly outcomes: PostOutcome[] = [];
  private clockMs: number;
  private seq = 0;

  constructor(private readonly options: QuizClientOptions) {
    this.name = options.name;
    this.clockMs = options.clockMs;
  }

  /** Buffers `count` new events. */
  record(count: number): void {
    const { random, repeatRate = 0 } = this.options;
    for (let i = 0; i < count; i++) {
      const previous = this.pending.at(-1);
      const event =
        previous && random() < repeatRate ? { ...previous } : this.nextEvent(EVENT_TYPES[Math.floor(random() * EVENT_TYPES.length)]!);
      this.generated.push(event);
      this.pending.push(event);
    }
  }

  /** Sets the client's clock, e.g. backwards, as a student's computer may. */
  setClock(ms: number): void {
    this.clockMs = ms;
  }

  /** POSTs the whole pending buffer; on 204 (that the network delivered) the buffer is acknowledged. */
  async flush(): Promise<PostOutcome> {
    const batch = this.pending;
    const outcome = await this.options.send(JSON.stringify({ quiz_submission_events: batch }));
    const answerLost = outcome.status === 204 && this.options.random() < (this.options.lostAnswerRate ?? 0);
    const seen: PostOutcome = answerLost ? { status: 'no-answer' } : outcome;
    this.outcomes.push(seen);
    // Events recorded while the request was in flight stay pending.
    if (seen.status === 204) this.pending = this.pending.slice(batch.length);
    return seen;
  }

  /** Resends until the buffer is acknowledged, at most `maxRequests` times; true when it was. */
  async drain(maxRequests: number): Promise<boolean> {
    for (let i = 0; i < maxRequests && this.pending.length > 0; i++) await this.flush();
    return this.pending.length === 0;
  }

  private nextEvent(eventType: string): ClientEvent {
    this.clockMs += 1 + Math.floor(this.options.random() * 2000);
    const seq = this.seq++;
    const data: Record<string, unknown> = { client: this.name, seq };
    if (eventType === 'question_viewed') data.questionIds = [String(seq % 7), String(seq % 11)];
    if (eventType === 'question_flagged') Object.assign(data, { questionId: String(seq % 7), flagged: seq % 2 === 0 });
    if (eventType === 'question_answered') data.answers = [{ quizQuestionId: String(seq % 7), answer: `answer ${seq}` }];
    if (this.options.padding) data.filler = 'x'.repeat(this.options.padding);
    return { client_timestamp: new Date(this.clockMs).toISOString(), event_type: eventType, event_data: data };
  }
}

/** What identifies an event to the service: type, canonical data, client timestamp text. */
export const contentKey = (event: { event_type?: unknown; event_data?: unknown; client_timestamp?: unknown }): string =>
  JSON.stringify([event.event_type, canonicalJson(event.event_data ?? null), event.client_timestamp ?? null]);

export interface Reconciliation {
  sent: number;
  stored: number;
  /** Sent, but not stored. */
  lost: number;
  /** Stored more often than sent. */
  duplicated: number;
  /** Stored, but never sent. */
  unexpected: number;
}

/** Compares what clients sent (as multisets of content) with what a read returned. */
export function reconcile(sent: readonly ClientEvent[], stored: readonly ReturnedEvent[]): Reconciliation {
  const counts = new Map<string, number>();
  for (const event of sent) counts.set(contentKey(event), (counts.get(contentKey(event)) ?? 0) + 1);
  let duplicated = 0;
  let unexpected = 0;
  for (const event of stored) {
    const key = contentKey(event);
    const left = counts.get(key);
    if (left === undefined) unexpected++;
    else if (left === 0) duplicated++;
    else counts.set(key, left - 1);
  }
  const lost = [...counts.values()].reduce((sum, left) => sum + left, 0);
  return { sent: sent.length, stored: stored.length, lost, duplicated, unexpected };
}

/** Adds reconciliations up. */
export const sumReconciliations = (parts: readonly Reconciliation[]): Reconciliation =>
  parts.reduce(
    (sum, part) => ({
      sent: sum.sent + part.sent,
      stored: sum.stored + part.stored,
      lost: sum.lost + part.lost,
      duplicated: sum.duplicated + part.duplicated,
      unexpected: sum.unexpected + part.unexpected,
    }),
    { sent: 0, stored: 0, lost: 0, duplicated: 0, unexpected: 0 },
  );
