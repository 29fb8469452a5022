import { errorCode } from '#lib/error-code.ts';
import type { StoreOpenError } from './embedded-store.ts';

/**
 * `npm start`'s exit codes (README, "Configuration of the local server"). A failure the server
 * explains is one line on stderr naming the variable, the path or the other process, and what to do.
 */
export const StartExitCode = {
  /** Something unforeseen: the error and its stack trace, to report as a bug. */
  unexpected: 1,
  /** A setting is wrong: a variable's value, a HOST that is not this machine, a PORT it may not use. */
  setting: 2,
  /** Another process holds what the server needs: its PORT, or its DATA_DIR. */
  inUse: 3,
  /** DATA_DIR or a file in it cannot be used: not a folder, not writable, a damaged key or store. */
  dataDir: 4,
} as const;

export type StartExitCode = (typeof StartExitCode)[keyof typeof StartExitCode];

export class StartFailure extends Error {
  override name = 'StartFailure';

  constructor(
    message: string,
    readonly exitCode: StartExitCode,
  ) {
    super(message);
  }
}

/** Why the HTTP server could not listen on HOST:PORT, as the variables to change. */
export function listenFailure(error: unknown, { host, port }: { host: string; port: number }): StartFailure | undefined {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new StartFailure(
        `Cannot start: port ${port} on ${host} is in use by another program: stop it, or set PORT to another port (PORT=0 picks a free one)`,
        StartExitCode.inUse,
      );
    case 'EACCES':
      return new StartFailure(`Cannot start: port ${port} needs privileges this user lacks: set PORT to 1024 or above (PORT=0 picks a free one)`, StartExitCode.setting);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return new StartFailure(
        `Cannot start: HOST ${host} is not an address of this machine (${errorCode(error)}): set HOST to 127.0.0.1 (the default), 0.0.0.0 (every interface) or one of this machine's addresses`,
        StartExitCode.setting,
      );
    default:
      return undefined;
  }
}

/** Why DATA_DIR, or a file in it, cannot be used. */
export function fileFailure(error: unknown, what: string): StartFailure | undefined {
  const code = errorCode(error);
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return new StartFailure(`Cannot start: ${what} is a file, or inside one, not a folder: set DATA_DIR to a folder (it is made if missing)`, StartExitCode.dataDir);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new StartFailure(
        `Cannot start: ${what} cannot be written (${code}): set DATA_DIR to a folder this user owns, or give it back its permissions`,
        StartExitCode.dataDir,
      );
    case 'EISDIR':
      return new StartFailure(`Cannot start: ${what} is a folder where a file belongs: delete it`, StartExitCode.dataDir);
    default:
      return undefined;
  }
}

/** Why the store in DATA_DIR did not open: another process has it, or it is damaged. */
export function storeFailure({ dataDir, locked, cause }: StoreOpenError): StartFailure {
  return locked
    ? new StartFailure(
        `Cannot start: DATA_DIR ${dataDir} is in use by another process (it holds the store's lock): stop it, or set DATA_DIR to another folder`,
        StartExitCode.inUse,
      )
    : new StartFailure(
        `Cannot start: the store in DATA_DIR ${dataDir} cannot be opened (${(cause as Error).message}): move the folder aside, or delete it to start with an empty store`,
        StartExitCode.dataDir,
      );
}
