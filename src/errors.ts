// One catalogue of error codes. Domain code throws PaperboyError with a code and a
// message written for the person who will read it; the CLI prints the message and the
// web layer maps the code to an HTTP status. Anything else is a bug.

export const ERROR_CODES = {
  bad_config: { http: 500, exit: 78 },
  bad_input: { http: 400, exit: 65 },
  /** A request this site does not take from where it came (a form posted from another site). */
  forbidden: { http: 403, exit: 77 },
  not_found: { http: 404, exit: 66 },
  too_large: { http: 413, exit: 65 },
  rate_limited: { http: 429, exit: 75 },
  /** The server sheds load (web/middleware/load-shed.ts): try again after Retry-After. */
  overloaded: { http: 503, exit: 75 },
  /** A part of the service is still being prepared after a start (the search index): try again after Retry-After. */
  starting: { http: 503, exit: 75 },
  upstream_unavailable: { http: 502, exit: 69 },
  upstream_protocol: { http: 502, exit: 76 },
  /**
   * The database could not do its part: locked by another process for too long, disk
   * full, file damaged or unwritable. Temporary as far as a client can tell: 503 with
   * Retry-After (details.retryAfterSeconds).
   */
  store_failure: { http: 503, exit: 74 },
  /** A bug: what the web layer answers for anything not in this catalogue (the CLI exits 70). */
  internal: { http: 500, exit: 70 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PaperboyError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PaperboyError';
    this.code = code;
    this.details = details;
  }
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new PaperboyError(code, message, details);
}

export function isPaperboyError(e: unknown): e is PaperboyError {
  return e instanceof PaperboyError;
}

/** A one-line, human message for any thrown value (never a stack trace). */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}
