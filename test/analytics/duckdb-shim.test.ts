import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { namedQueries, tableReference } from '../../infra/analytics/named-queries.ts';
import { duckDbType, readChangeRecords, toDuckDb, TRINO_FUNCTIONS } from '../support/athena-on-duckdb.ts';

const SOURCE = { database: 'quiz_submission_events_test', table: 'item_changes' };

describe('the Athena-to-DuckDB shim', () => {
  it.each(Object.values(namedQueries(SOURCE)).map((query) => [query.name, query.sql]))(
    '%s: changes nothing but the table reference',
    (_name, sql) => {
      // Act
      const duckDbSql = toDuckDb(sql, SOURCE, '/bucket');

      // Assert
      expect(duckDbSql.split(readChangeRecords('/bucket')).join(tableReference(SOURCE))).toBe(sql);
      expect(duckDbSql).not.toContain(tableReference(SOURCE));
    },
  );

  it('refuses a query that does not read the table', () => {
    expect(() => toDuckDb('SELECT 1', SOURCE, '/bucket')).toThrow(/does not read "quiz_submission_events_test"."item_changes"/);
  });

  it("declares the Glue table's struct columns with the JSON's field names", () => {
    expect(duckDbType({ struct: { Keys: { struct: { pk: { struct: { S: 'string' } } } }, ApproximateCreationDateTime: 'double' } })).toBe(
      'STRUCT("Keys" STRUCT("pk" STRUCT("S" VARCHAR)), "ApproximateCreationDateTime" DOUBLE)',
    );
  });

  it("gives Trino's from_iso8601_timestamp for the table's UTC millisecond texts", async () => {
    // Arrange
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const statement of TRINO_FUNCTIONS) await connection.run(statement);

    // Act
    const reader = await connection.runAndReadAll(
      "SELECT date_diff('millisecond', from_iso8601_timestamp('2014-10-08T23:59:59.750Z'), from_iso8601_timestamp('2014-10-09T00:00:01.000Z')) AS ms",
    );
    connection.closeSync();
    instance.closeSync();

    // Assert
    expect(reader.getRowObjectsJS()).toEqual([{ ms: 1250n }]);
  });
});
