/** The export's exit codes (README, Export). */
export const ExitCode = {
  done: 0,
  /** The server or the network failed, or answered something that is not the API. */
  failed: 1,
  /** The command line, or the request it made, is not valid (a 400 from the server). */
  usage: 2,
  /** 401: the token is missing, expired or not accepted. */
  unauthorized: 3,
  /** 403: the token lacks the read scope, or this course. */
  forbidden: 4,
  /** 404: no such route at --api. */
  notFound: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the export explains in one line and exits on with its code. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
