import { describe, expect, it } from 'vitest';
import { loadConfig } from '#lib/config.ts';

describe("the functions' configuration", () => {
  it('takes defaults for everything but the table', () => {
    expect(loadConfig({ TABLE_NAME: 'events' })).toEqual({
      TABLE_NAME: 'events',
      AWS_REGION: 'us-east-1',
      RETENTION_DAYS: 0,
      COURSE_CLAIM: 'course_ids',
    });
  });

  it('reads an empty variable as unset', () => {
    expect(loadConfig({ TABLE_NAME: 'events', COURSE_CLAIM: '', RETENTION_DAYS: '' })).toMatchObject({ COURSE_CLAIM: 'course_ids', RETENTION_DAYS: 0 });
  });

  it.each([
    [{}, 'TABLE_NAME'],
    [{ TABLE_NAME: 'events', RETENTION_DAYS: 'forever' }, 'RETENTION_DAYS'],
    [{ TABLE_NAME: 'events', RETENTION_DAYS: '-1' }, 'RETENTION_DAYS'],
    [{ TABLE_NAME: 'events', DYNAMODB_ENDPOINT: 'not a url' }, 'DYNAMODB_ENDPOINT'],
  ])('refuses %j, naming %s', (environment, name) => {
    expect(() => loadConfig(environment)).toThrow(new RegExp(`^Invalid configuration: ${name}: `));
  });
});
