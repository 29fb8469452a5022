import type { ReturnedEvent } from './api-shapes.ts';
import type { handlersOver } from './handlers.ts';
import type { EventOptions, SubmissionPath } from './http-events.ts';
import type { SendBatch } from './quiz-client.ts';

type Handlers = ReturnType<typeof handlersOver>;

/** A quiz client's transport straight into the POST handler, as API Gateway would call it. */
export const sendThrough =
  (api: Handlers, path: SubmissionPath, options: EventOptions = {}): SendBatch =>
  async (body) => {
    const answer = await api.postRaw(path, { ...options, body });
    return { status: answer.status, retryAfter: answer.headers['retry-after'] };
  };

/** Every event of an attempt, walking all pages. */
export const readThrough = async (api: Handlers, path: SubmissionPath, query = 'per_page=100'): Promise<ReturnedEvent[]> =>
  (await api.walk(path, query)).pages.flat();
