import { describe, expect, it } from 'vitest';
import { formatCrashTestResult, runCrashTest } from '../../scripts/crash-test.ts';

/**
 * The crash script, smaller: the local server (a child process) is SIGKILLed mid-load and restarted
 * on the same DATA_DIR; every event the clients sent must be there exactly once. `npm run crash-test`
 * runs the full size.
 */
describe('a local server killed with SIGKILL mid-load and restarted on the same data', () => {
  it('ends with every event its clients resent stored exactly once', { timeout: 90_000 }, async () => {
    // Arrange
    const options = { clients: 8, submissions: 5, rounds: 6, maxEventsPerRound: 30, kills: 2, postsBetweenKills: 16, timeLimitMs: 80_000, seed: 7 };
    // Act
    const result = await runCrashTest(options);
    console.log(formatCrashTestResult(result, options));
    // Assert
    expect(result.kills).toBe(2);
    expect(result.unanswered).toBeGreaterThan(0);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0, unfinishedClients: 0, fiveHundreds: 0 });
    expect(result.stored).toBe(result.sent);
  });
});
