/**
 * Run before every test file (vitest.config.ts setupFiles): every answer a test fetches from one of
 * the API's routes is checked against docs/openapi.json, and a test that received an answer the
 * document does not allow fails. The count of answers checked goes to openapi-tally.ts.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, inject } from 'vitest';
import { checkAnswer, isStub, lowerCaseHeaders, openApiTally, routeOfRequest, takeViolations } from './openapi-answers.ts';

const unchecked = globalThis.fetch;

globalThis.fetch = async function fetchCheckedAgainstOpenApi(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await unchecked(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const route = ['127.0.0.1', 'localhost'].includes(url.hostname) && !isStub(url) ? routeOfRequest(method, url.pathname) : undefined;
  if (route !== undefined) {
    // Read from a copy, without holding the test up: the check settles after the test, before the verdict.
    const body = response
      .clone()
      .text()
      .then(
        (text) => ({ status: response.status, headers: lowerCaseHeaders(response.headers), body: text }),
        () => undefined,
      );
    checkAnswer(route, `${method} ${url.pathname}${url.search}`, body);
  }
  return response;
};

async function failOnViolations(): Promise<void> {
  const violations = await takeViolations();
  if (violations.length > 0) {
    throw new Error(`${violations.length} answer(s) do not match docs/openapi.json:\n${violations.map((violation) => `- ${violation}`).join('\n')}`);
  }
}

afterEach(failOnViolations);

afterAll(async () => {
  try {
    await failOnViolations();
  } finally {
    const tallyDir = inject('openApiTallyDir');
    if (tallyDir && openApiTally.checked > 0) appendFileSync(join(tallyDir, `${process.pid}.tsv`), `${openApiTally.checked}\t${openApiTally.violated}\n`);
  }
});
