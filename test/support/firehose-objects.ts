import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FIREHOSE_BUFFER, FIREHOSE_PREFIX } from '../../infra/analytics/storage-layout.ts';

/**
 * The S3 objects the stack's Firehose stream writes, in a local folder standing for the bucket: the
 * records that arrived within one buffering interval become one object under the prefix of that day,
 * one JSON record per line (the AppendDelimiterToRecord processor), gzipped, named as Firehose names
 * objects: `<stream name>-<version>-<yyyy-MM-dd-HH-mm-ss>-<random>.gz`.
 */

export interface Delivery {
  record: unknown;
  /** When the record reached Firehose: it decides the day partition. */
  arrivedAt: Date;
}

export const DELIVERY_STREAM_NAME = 'QuizSubmissionEvents-test-AnalyticsDelivery';

export function writeFirehoseObjects(bucketDir: string, deliveries: readonly Delivery[]): string[] {
  const buffers = new Map<number, Delivery[]>();
  for (const delivery of deliveries) {
    const window = Math.floor(delivery.arrivedAt.getTime() / (FIREHOSE_BUFFER.intervalSeconds * 1000));
    buffers.set(window, [...(buffers.get(window) ?? []), delivery]);
  }
  const written: string[] = [];
  for (const batch of buffers.values()) {
    const first = batch[0]!.arrivedAt;
    const key = `${expandTimestamps(FIREHOSE_PREFIX, first)}${DELIVERY_STREAM_NAME}-1-${formatUtc(first, 'yyyy-MM-dd-HH-mm-ss')}-${randomUUID()}.gz`;
    const path = join(bucketDir, key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(batch.map(({ record }) => `${JSON.stringify(record)}\n`).join('')));
    written.push(key);
  }
  return written;
}

/** Firehose's `!{timestamp:<Java DateTimeFormatter pattern>}` namespace, in UTC. */
function expandTimestamps(prefix: string, at: Date): string {
  return prefix.replace(/!\{timestamp:([^}]+)\}/g, (_, pattern: string) => formatUtc(at, pattern));
}

function formatUtc(at: Date, pattern: string): string {
  const fields: Record<string, string> = {
    yyyy: String(at.getUTCFullYear()),
    MM: pad(at.getUTCMonth() + 1),
    dd: pad(at.getUTCDate()),
    HH: pad(at.getUTCHours()),
    mm: pad(at.getUTCMinutes()),
    ss: pad(at.getUTCSeconds()),
  };
  return pattern.replace(/yyyy|MM|dd|HH|mm|ss/g, (field) => fields[field]!);
}

const pad = (value: number) => String(value).padStart(2, '0');
