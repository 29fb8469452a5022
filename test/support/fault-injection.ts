import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What can go wrong with one DynamoDB call, as the store sees it once the SDK's own retries are spent
 * (faults are injected above the SDK's retry layer, so they reach our code on the first try).
 */
export type Fault =
  /** ProvisionedThroughputExceededException (HTTP 400), nothing written. */
  | { kind: 'throughput-exceeded' }
  /** ThrottlingException (HTTP 400), nothing written. */
  | { kind: 'throttling' }
  /** InternalServerError (HTTP 500), nothing written. */
  | { kind: 'server-error' }
  /** The SDK's TimeoutError; with `afterWrite` DynamoDB applied the call and only the answer was lost. */
  | { kind: 'timeout'; afterWrite?: boolean }
  /** The connection dropped (ECONNRESET) before the call reached DynamoDB. */
  | { kind: 'connection-reset' }
  /** BatchWriteItem only: DynamoDB writes the first `keep` items and hands back the rest as UnprocessedItems. */
  | { kind: 'unprocessed'; keep: number }
  /** The process running the request dies: this call and every later one fail, writing nothing, until `revive()`. */
  | { kind: 'crash' };

export type FaultKind = Fault['kind'];

/** One DynamoDB call as a fault plan sees it. */
export interface StorageCall {
  /** e.g. 'BatchWriteItem', 'UpdateItem', 'GetItem', 'Query'. */
  operation: string;
  /** 0-based, among every call since injection started. */
  index: number;
  /** 0-based, among the calls of this operation. */
  nth: number;
}

/** Decides, call by call, whether a fault happens. */
export type FaultPlan = (call: StorageCall) => Fault | undefined;

export interface FaultInjector {
  /** How many faults of each kind were injected. */
  readonly injected: Record<FaultKind, number>;
  /** Every fault injected; each failed request needs at least one. */
  readonly total: number;
  /** Operations that changed the table (UpdateItem, BatchWriteItem, PutItem, DeleteItem, …) and went through. */
  readonly writes: string[];
  /** The crashed process is replaced by a fresh one: calls go through again. */
  revive(): void;
  /** Runs `work` with injection suspended: its calls go through and do not count toward the plan. */
  suspended<T>(work: () => Promise<T>): Promise<T>;
  /** Stops injecting for good and takes the middleware off the client. */
  stop(): void;
}

/** The DynamoDB operations that change data; none of them may run for a refused request. */
export const WRITE_OPERATIONS = new Set(['UpdateItem', 'BatchWriteItem', 'PutItem', 'DeleteItem', 'TransactWriteItems']);

/** Thrown for every call made by a process the plan crashed; the handler answers it with a 500. */
export class ProcessCrashed extends Error {
  override name = 'ProcessCrashed';
}

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'injected', attempts: 1, totalRetryDelay: 0 });

function thrownError(fault: Exclude<Fault, { kind: 'unprocessed' }>): Error {
  const message = `injected ${fault.kind}`;
  switch (fault.kind) {
    case 'throughput-exceeded':
      return new ProvisionedThroughputExceededException({ message, $metadata: metadata(400) });
    case 'throttling':
      return new ThrottlingException({ message, $metadata: metadata(400) });
    case 'server-error':
      return new InternalServerError({ message, $metadata: metadata(500) });
    case 'timeout':
      // As @smithy/node-http-handler raises a request or connection timeout.
      return Object.assign(new Error(`${message}: connection timed out`), { name: 'TimeoutError' });
    case 'connection-reset':
      return Object.assign(new Error(`${message}: socket hang up`), { code: 'ECONNRESET' });
    case 'crash':
      return new ProcessCrashed(message);
  }
}

type BatchInput = { RequestItems: Record<string, unknown[]> };

let injectors = 0;

/**
 * Adds a middleware to a document client that consults `plan` before each call and injects the fault
 * it names. Tests only; the client must be a test's own (or the local server's, in a test that runs it).
 */
export function injectFaults(client: DynamoDBDocumentClient, plan: FaultPlan): FaultInjector {
  const injected = Object.fromEntries(
    (['throughput-exceeded', 'throttling', 'server-error', 'timeout', 'connection-reset', 'unprocessed', 'crash'] as const).map(
      (kind) => [kind, 0],
    ),
  ) as Record<FaultKind, number>;
  const perOperation = new Map<string, number>();
  const writes: string[] = [];
  const name = `injectFaults-${++injectors}`;
  let index = 0;
  let crashed = false;
  let stopped = false;
  let suspensions = 0;
  let total = 0;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName as string).replace(/Command$/, '');
      const pass = async () => {
        const result = await next(args);
        if (WRITE_OPERATIONS.has(operation)) writes.push(operation);
        return result;
      };
      if (stopped || suspensions > 0) return pass();
      const nth = perOperation.get(operation) ?? 0;
      perOperation.set(operation, nth + 1);
      const call = { operation, index: index++, nth };
      if (crashed) throw new ProcessCrashed('the process has crashed');
      const fault = plan(call);
      if (!fault) return pass();
      injected[fault.kind]++;
      total++;
      if (fault.kind === 'crash') crashed = true;
      if (fault.kind === 'unprocessed') {
        const input = args.input as BatchInput;
        if (!input.RequestItems) return pass();
        const [table, requests] = Object.entries(input.RequestItems)[0]!;
        const written = requests.slice(0, fault.keep);
        const unprocessed = requests.slice(fault.keep);
        const output = written.length
          ? await next({ ...args, input: { ...input, RequestItems: { [table]: written } } })
          : { output: { $metadata: {} }, response: {} };
        if (written.length) writes.push(operation);
        return {
          ...output,
          output: { ...(output.output as object), UnprocessedItems: unprocessed.length ? { [table]: unprocessed } : {} },
        } as never;
      }
      if (fault.kind === 'timeout' && fault.afterWrite) await pass();
      throw thrownError(fault);
    },
    // After the call counter of test-store.ts, so refused calls are still logged there.
    { step: 'initialize', name, priority: 'low' },
  );

  return {
    injected,
    get total() {
      return total;
    },
    writes,
    revive() {
      crashed = false;
    },
    async suspended(work) {
      suspensions++;
      try {
        return await work();
      } finally {
        suspensions--;
      }
    },
    stop() {
      stopped = true;
      client.middlewareStack.remove(name);
    },
  };
}

/**
 * Leaves some of each BatchWriteItem's items unprocessed (without writing them), as DynamoDB does
 * under throttling, for the first `times` calls.
 */
export const leaveUnprocessed = (client: DynamoDBDocumentClient, { times, keep }: { times: number; keep: number }) =>
  injectFaults(client, (call) => (call.operation === 'BatchWriteItem' && call.nth < times ? { kind: 'unprocessed', keep } : undefined));
