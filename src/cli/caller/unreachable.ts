/**
 * The simulated caller could not connect to the bridge at all (refused, unknown host, no route):
 * names the URL it tried and the system's reason, so "fetch failed" never stands alone.
 */
export class BridgeUnreachableError extends Error {
  readonly code = 'BRIDGE_UNREACHABLE';

  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach the bridge at ${url} (${reason})`, options);
    this.name = 'BridgeUnreachableError';
  }

  /** Wraps a failed connection to `url`: the system code (ECONNREFUSED, ENOTFOUND…) if any, else the message. */
  static from(url: string, error: unknown): BridgeUnreachableError {
    return new BridgeUnreachableError(url, systemCode(error) ?? (error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

/** The `code` of an error or of the errors behind it (fetch puts it on `cause`, sometimes in an AggregateError). */
function systemCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  const inner = error instanceof AggregateError ? error.errors[0] : (error as { cause?: unknown }).cause;
  return systemCode(inner, depth + 1);
}
