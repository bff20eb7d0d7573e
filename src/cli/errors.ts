/** The exit codes of every user command; the README's "Command-line client" section documents the same table. */
export const exitCodes = {
  ok: 0,
  error: 1,
  usage: 2,
  notSignedIn: 3,
  notFound: 4,
  refused: 5,
  conflict: 6,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** One `errors[]` item of a validation problem. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The application/problem+json body of a failed API call, as far as the client reads it. */
export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
  permission?: string;
  requestId?: string;
}

/** A failure a command reports: its message goes to stderr, its exit code ends the process. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly problem?: Problem,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code of an HTTP error status: what a script branches on. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 400) return exitCodes.usage;
  if (status === 401) return exitCodes.notSignedIn;
  if (status === 403) return exitCodes.refused;
  if (status === 404) return exitCodes.notFound;
  if (status === 409 || status === 410) return exitCodes.conflict;
  return exitCodes.error;
}

/** Bad arguments found before any request (exit 2). */
export const usageError = (message: string) => new CliError(message, exitCodes.usage);

/** A name that matches nothing the caller can see (exit 4), like the server's 404. */
export const notFoundError = (message: string) => new CliError(message, exitCodes.notFound);
