import { DuckDBInstance } from '@duckdb/node-api';
import { CHANGE_RECORD_COLUMNS, type GlueType } from '../../infra/analytics/change-records.ts';
import { type ChangesTable, tableReference } from '../../infra/analytics/named-queries.ts';
import { PARTITION_COLUMN } from '../../infra/analytics/storage-layout.ts';

/**
 * Runs the named queries' Athena (Trino) SQL on DuckDB, over the files the pipeline writes. The shim
 * is mechanical, and this is all of it (docs/analytics.md, "The same SQL on DuckDB"):
 * 1. the one table reference, `"<database>"."<table>"`, becomes DuckDB's `read_json` over the objects,
 *    with the Glue table's columns turned into DuckDB types and the day taken from the `dt=` folders,
 *    as partition projection does;
 * 2. Trino's `from_iso8601_timestamp` becomes a DuckDB macro, for the UTC millisecond texts the
 *    table holds.
 * Nothing else in the SQL is touched.
 */

export const TRINO_FUNCTIONS = [
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(text) AS strptime(text, '%Y-%m-%dT%H:%M:%S.%gZ')`,
] as const;

/** A Glue type as DuckDB declares it; struct field names keep their case, as the JSON spells them. */
export function duckDbType(type: GlueType): string {
  if (type === 'string') return 'VARCHAR';
  if (type === 'double') return 'DOUBLE';
  return `STRUCT(${Object.entries(type.struct)
    .map(([name, field]) => `"${name}" ${duckDbType(field)}`)
    .join(', ')})`;
}

/** `read_json` over every object below the folder, one JSON record per line, gzipped, partitioned by day. */
export function readChangeRecords(bucketDir: string): string {
  const columns = Object.entries(CHANGE_RECORD_COLUMNS)
    .map(([name, type]) => `'${name}': '${duckDbType(type)}'`)
    .join(', ');
  return `read_json('${bucketDir}/**/*.gz', format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, hive_types = {'${PARTITION_COLUMN}': 'VARCHAR'}, columns = {${columns}})`;
}

export function toDuckDb(sql: string, source: ChangesTable, bucketDir: string): string {
  const reference = tableReference(source);
  if (!sql.includes(reference)) throw new Error(`the query does not read ${reference}`);
  return sql.replaceAll(reference, readChangeRecords(bucketDir));
}

export interface AthenaOnDuckDb {
  /** Rows as plain objects; DuckDB's 64- and 128-bit integers become numbers. */
  run(athenaSql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function athenaOnDuckDb(source: ChangesTable, bucketDir: string): Promise<AthenaOnDuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    // Everything these queries need is built in; never fetch an extension.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  for (const statement of TRINO_FUNCTIONS) await connection.run(statement);
  return {
    async run(athenaSql) {
      const reader = await connection.runAndReadAll(toDuckDb(athenaSql, source, bucketDir));
      return reader.getRowObjectsJS().map((row) =>
        Object.fromEntries(Object.entries(row).map(([column, value]) => [column, typeof value === 'bigint' ? Number(value) : value])),
      );
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
