/**
 * The catalog of errors this service raises on purpose. Each has a stable `code` that logs,
 * metrics and tests branch on (never on message text), and where one applies the HTTP status or
 * WebSocket close code it maps to.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: { retryable: false, httpStatus: 500 },
  QUESTIONNAIRE_INVALID: { retryable: false, httpStatus: 500 },
  QUESTIONNAIRE_NOT_FOUND: { retryable: false, httpStatus: 404 },
  /** DATA_DIR/db is held by another bridge process (the embedded database allows one). */
  STORE_LOCKED: { retryable: false, httpStatus: 503 },
  STORE_MIGRATION_FAILED: { retryable: false, httpStatus: 500 },
  /** The store is closed, or lost its DATA_DIR lock. */
  STORE_UNAVAILABLE: { retryable: true, httpStatus: 503 },
  /** Webhook subscriptions and deliveries (the clinic API answers with these statuses). */
  WEBHOOK_URL_INVALID: { retryable: false, httpStatus: 400 },
  WEBHOOK_EVENTS_INVALID: { retryable: false, httpStatus: 400 },
  WEBHOOK_QUERY_INVALID: { retryable: false, httpStatus: 400 },
  WEBHOOK_NOT_FOUND: { retryable: false, httpStatus: 404 },
  WEBHOOK_DELIVERY_NOT_FOUND: { retryable: false, httpStatus: 404 },
  /** The WEBHOOK_URL subscription: changed through the environment, not the API. */
  WEBHOOK_MANAGED_BY_CONFIG: { retryable: false, httpStatus: 409 },
} as const satisfies Record<string, { retryable: boolean; httpStatus?: number; wsCloseCode?: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  readonly wsCloseCode: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
    const entry: { retryable: boolean; httpStatus?: number; wsCloseCode?: number } = ERROR_CODES[code];
    this.retryable = entry.retryable;
    this.httpStatus = entry.httpStatus;
    this.wsCloseCode = entry.wsCloseCode;
  }
}

export function isBridgeError(error: unknown, code?: ErrorCode): error is BridgeError {
  return error instanceof BridgeError && (code === undefined || error.code === code);
}
