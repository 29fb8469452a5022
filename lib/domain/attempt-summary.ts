import { isLosslessNumber } from 'lossless-json';
import { eventTimeMs, parseClientTimestamp } from './event-time.ts';
import { parseJson } from './json-text.ts';

/**
 * An attempt's events turned into the facts a reviewer reads first (docs/api.md, Summaries): counts,
 * time away from the quiz page, per-question activity, clock quality. Facts only, never a verdict.
 */

/** What the summary needs of one stored event. */
export interface SummarizedEvent {
  /** ISO-8601 UTC with milliseconds, fixed width (the sort key's first 24 characters). */
  createdAt: string;
  eventType: string;
  /** event_data as the stored JSON text. */
  eventDataJson: string;
  /** The client's timestamp exactly as sent, when there was one. */
  clientTimestamp?: string | undefined;
  /** ISO-8601 UTC with milliseconds. */
  receivedAt: string;
}

export interface UnfocusedInterval {
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Still unfocused at the attempt's last event, which ends it. */
  open: boolean;
}

export interface QuestionActivity {
  firstViewedAt: string | null;
  viewCount: number;
  flagged: boolean;
  answerCount: number;
}

export interface AttemptSummary {
  submissionId: string;
  attempt: number;
  eventCount: number;
  /** Events per type, ordered by type. */
  eventCounts: ReadonlyMap<string, number>;
  firstEventAt: string | null;
  lastEventAt: string | null;
  durationMs: number | null;
  sessionCount: number;
  blurCount: number;
  unfocusedIntervals: readonly UnfocusedInterval[];
  unfocusedMsTotal: number;
  unfocusedMsMax: number;
  /** Per question id, numeric ids first in numeric order, then the others in code-unit order. */
  questions: ReadonlyMap<string, QuestionActivity>;
  maxReceiveLagMs: number | null;
  clockFallbackCount: number;
}

const EventType = {
  sessionStarted: 'session_started',
  pageBlurred: 'page_blurred',
  pageFocused: 'page_focused',
  questionViewed: 'question_viewed',
  questionFlagged: 'question_flagged',
  questionAnswered: 'question_answered',
} as const;

/**
 * Takes an attempt's events one at a time in stored order (created_at, then sort key), so a reader
 * can feed it page by page, and holds only the running facts, never the events.
 */
export class AttemptSummarizer {
  readonly #submissionId: string;
  readonly #attempt: number;
  #eventCount = 0;
  readonly #eventCounts = new Map<string, number>();
  #firstEventAt: string | null = null;
  #firstEventMs = 0;
  #lastEventAt: string | null = null;
  #lastEventMs = 0;
  #sessionCount = 0;
  #blurCount = 0;
  readonly #intervals: UnfocusedInterval[] = [];
  #unfocusedSince: string | null = null;
  #unfocusedSinceMs = 0;
  readonly #questions = new Map<string, QuestionActivity>();
  #maxReceiveLagMs = -Infinity;
  #clockFallbackCount = 0;
  // Events of one batch share their receipt time: parse it once per batch, not once per event.
  #receivedAt = '';
  #receivedMs = 0;

  constructor(submissionId: string, attempt: number) {
    this.#submissionId = submissionId;
    this.#attempt = attempt;
  }

  /** The next event; `createdAt`, when given, stands for its own (a stored event has it only in its key). */
  add(event: SummarizedEvent): void;
  add(event: Omit<SummarizedEvent, 'createdAt'>, createdAt: string): void;
  add(event: Omit<SummarizedEvent, 'createdAt'> & { createdAt?: string }, createdAt: string = event.createdAt!): void {
    const { eventType } = event;
    if (this.#lastEventAt !== null && createdAt < this.#lastEventAt) {
      throw new RangeError(`events must come in created_at order: ${createdAt} after ${this.#lastEventAt}`);
    }
    const createdMs = Date.parse(createdAt);
    if (event.receivedAt !== this.#receivedAt) {
      this.#receivedAt = event.receivedAt;
      this.#receivedMs = Date.parse(event.receivedAt);
    }

    this.#eventCount++;
    this.#eventCounts.set(eventType, (this.#eventCounts.get(eventType) ?? 0) + 1);
    if (this.#firstEventAt === null) {
      this.#firstEventAt = createdAt;
      this.#firstEventMs = createdMs;
    }
    this.#lastEventAt = createdAt;
    this.#lastEventMs = createdMs;
    const lagMs = this.#receivedMs - createdMs;
    if (lagMs > this.#maxReceiveLagMs) this.#maxReceiveLagMs = lagMs;
    if (this.#isClockFallback(event.clientTimestamp, createdAt, createdMs)) this.#clockFallbackCount++;

    switch (eventType) {
      case EventType.sessionStarted:
        this.#sessionCount++;
        break;
      case EventType.pageBlurred:
        this.#blurCount++;
        if (this.#unfocusedSince === null) {
          this.#unfocusedSince = createdAt;
          this.#unfocusedSinceMs = createdMs;
        }
        break;
      case EventType.pageFocused:
        if (this.#unfocusedSince !== null) {
          this.#intervals.push(this.#interval(createdAt, createdMs, false));
          this.#unfocusedSince = null;
        }
        break;
      case EventType.questionViewed:
        this.#questionViewed(parseEventData(event.eventDataJson), createdAt);
        break;
      case EventType.questionFlagged:
        this.#questionFlagged(parseEventData(event.eventDataJson));
        break;
      case EventType.questionAnswered:
        this.#questionAnswered(parseEventData(event.eventDataJson));
        break;
    }
  }

  /** The summary of the events added so far; adding more afterwards is fine. */
  summary(): AttemptSummary {
    const intervals =
      this.#unfocusedSince === null ? [...this.#intervals] : [...this.#intervals, this.#interval(this.#lastEventAt!, this.#lastEventMs, true)];
    let unfocusedMsTotal = 0;
    let unfocusedMsMax = 0;
    for (const { durationMs } of intervals) {
      unfocusedMsTotal += durationMs;
      if (durationMs > unfocusedMsMax) unfocusedMsMax = durationMs;
    }
    const empty = this.#eventCount === 0;
    return {
      submissionId: this.#submissionId,
      attempt: this.#attempt,
      eventCount: this.#eventCount,
      eventCounts: new Map([...this.#eventCounts].sort(([a], [b]) => compareCodeUnits(a, b))),
      firstEventAt: this.#firstEventAt,
      lastEventAt: this.#lastEventAt,
      durationMs: empty ? null : this.#lastEventMs - this.#firstEventMs,
      sessionCount: this.#sessionCount,
      blurCount: this.#blurCount,
      unfocusedIntervals: intervals,
      unfocusedMsTotal,
      unfocusedMsMax,
      questions: new Map(
        [...this.#questions].sort(([a], [b]) => compareQuestionIds(a, b)).map(([id, activity]) => [id, { ...activity }]),
      ),
      maxReceiveLagMs: empty ? null : this.#maxReceiveLagMs,
      clockFallbackCount: this.#clockFallbackCount,
    };
  }

  #interval(endedAt: string, endedMs: number, open: boolean): UnfocusedInterval {
    return { startedAt: this.#unfocusedSince!, endedAt, durationMs: endedMs - this.#unfocusedSinceMs, open };
  }

  /** created_at is the receipt time because the client sent no usable time, or one too far ahead. */
  #isClockFallback(clientTimestamp: string | undefined, createdAt: string, createdMs: number): boolean {
    if (clientTimestamp === undefined) return true;
    // Canvas's client sends exactly this form, so most events skip the general parser.
    const clientMs = clientTimestamp === createdAt ? createdMs : parseClientTimestamp(clientTimestamp);
    return clientMs === undefined || eventTimeMs(clientMs, this.#receivedMs) !== clientMs;
  }

  #question(id: string): QuestionActivity {
    let activity = this.#questions.get(id);
    if (activity === undefined) {
      activity = { firstViewedAt: null, viewCount: 0, flagged: false, answerCount: 0 };
      this.#questions.set(id, activity);
    }
    return activity;
  }

  /** Canvas's client: `["1","2"]`, the ids of the questions on screen. */
  #questionViewed(data: unknown, createdAt: string): void {
    if (!Array.isArray(data)) return;
    for (const item of data) {
      const id = questionId(item);
      if (id === undefined) continue;
      const activity = this.#question(id);
      activity.viewCount++;
      activity.firstViewedAt ??= createdAt;
    }
  }

  /** Canvas's client: `{"questionId":"1","flagged":true}`. */
  #questionFlagged(data: unknown): void {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
    const { questionId: rawId, flagged } = data as { questionId?: unknown; flagged?: unknown };
    const id = questionId(rawId);
    if (id === undefined || typeof flagged !== 'boolean') return;
    this.#question(id).flagged = flagged;
  }

  /** Canvas's server: `[{"quiz_question_id":"1","answer":…}]`, one entry per answer that changed. */
  #questionAnswered(data: unknown): void {
    if (!Array.isArray(data)) return;
    for (const entry of data) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
      const id = questionId((entry as { quiz_question_id?: unknown }).quiz_question_id);
      if (id !== undefined) this.#question(id).answerCount++;
    }
  }
}

/** The summary of a whole attempt's events, given in stored order. */
export function summarizeAttempt(submissionId: string, attempt: number, events: Iterable<SummarizedEvent>): AttemptSummary {
  const summarizer = new AttemptSummarizer(submissionId, attempt);
  for (const event of events) summarizer.add(event);
  return summarizer.summary();
}

/** Stored event_data is valid JSON; anything else reads as no data rather than failing the summary. */
function parseEventData(json: string): unknown {
  try {
    return parseJson(json);
  } catch {
    return undefined;
  }
}

/** A question id is a non-empty string, or a number taken as its text. */
function questionId(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (isLosslessNumber(value)) return value.value;
  return undefined;
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const NUMERIC_ID = /^(?:0|[1-9]\d*)$/;

/** Canvas's ids are numbers: "2" before "10". */
function compareQuestionIds(a: string, b: string): number {
  const aNumeric = NUMERIC_ID.test(a);
  const bNumeric = NUMERIC_ID.test(b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (aNumeric && a.length !== b.length) return a.length - b.length;
  return compareCodeUnits(a, b);
}
