import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unauthorized } from '#lib/auth/gateway-denials.ts';
import { type Authorize, type LocalServer, startLocalServer } from '#local/server.ts';
import { openApiDocument } from '#lib/openapi/openapi-document.ts';

let server: LocalServer;
/** Refuses every request it is asked about, as for a missing token. */
const refuseEveryone: Authorize = async () => ({ refusal: unauthorized('missing-token') });

beforeAll(async () => {
  server = await startLocalServer({ port: 0, authorize: refuseEveryone, publicUrl: 'https://events.example.edu' });
});
afterAll(() => server.close());

describe('the local server', () => {
  it('answers the OpenAPI document at GET /openapi.json without a token, its own address as the server', async () => {
    // Act
    const answer = await fetch(`${server.url}/openapi.json`);

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { servers, ...served } = await answer.json();
    const { servers: _generatedServers, ...generated } = openApiDocument();
    expect(served).toEqual(generated);
    expect(servers).toEqual([{ url: 'https://events.example.edu', description: 'This local server.' }]);
  });

  it("still refuses the API's routes without a token", async () => {
    const answer = await fetch(`${server.url}/api/v1/courses/1/quizzes/2/submission_events`);
    expect(answer.status).toBe(401);
  });
});
