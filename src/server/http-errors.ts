import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

/**
 * Every error the HTTP side answers, in one place: a stable `code` (what clients, logs and tests
 * branch on), its status and a default message. Each error body is `{"error": code, "message": …}`.
 * (Errors the service raises internally, with retryability, are in src/errors.ts.)
 */
export const HTTP_ERRORS = {
  bad_request: { status: 400, message: 'bad request' },
  malformed_body: { status: 400, message: 'the request body could not be read' },
  request_aborted: { status: 400, message: 'the request body ended early' },
  bad_host: { status: 400, message: 'the Host header is not a valid host[:port]' },
  bad_forwarded_header: { status: 400, message: 'X-Forwarded-Host or X-Forwarded-Proto is malformed' },
  unauthorized: { status: 401, message: 'unauthorized' },
  forbidden: { status: 403, message: 'forbidden' },
  not_found: { status: 404, message: 'not found' },
  too_many_pending: { status: 429, message: 'too many streams from this address are waiting to start' },
  body_too_large: { status: 413, message: 'the request body is over the size limit' },
  too_many_parameters: { status: 413, message: 'the form has too many parameters' },
  unsupported_media_type: { status: 415, message: 'unsupported request body' },
  unsupported_charset: { status: 415, message: 'unsupported charset: send utf-8' },
  unsupported_encoding: { status: 415, message: 'unsupported Content-Encoding: send identity, gzip, deflate or br' },
  invalid_query: { status: 400, message: 'a query parameter is invalid' },
  invalid_body: { status: 400, message: 'the request body is invalid' },
  api_key_missing: { status: 401, message: 'send the API key as Authorization: Bearer <key>' },
  api_key_invalid: { status: 401, message: 'the API key is unknown or revoked' },
  scope_missing: { status: 403, message: 'the API key lacks the scope this needs' },
  api_disabled: { status: 404, message: 'the clinic API is off: set BRIDGE_API_KEY to turn it on' },
  call_not_found: { status: 404, message: 'no call with this id' },
  flag_not_found: { status: 404, message: 'no red flag with this id' },
  key_not_found: { status: 404, message: 'no API key with this id' },
  store_unavailable: { status: 503, message: 'the database is not answering; try again shortly' },
  questionnaire_invalid: { status: 400, message: 'the questionnaire is invalid' },
  questionnaire_not_found: { status: 404, message: 'no questionnaire with this id' },
  questionnaire_version_exists: { status: 409, message: 'this version of the questionnaire exists with a different definition: raise its version' },
  questionnaire_version_older: { status: 409, message: 'a newer version of this questionnaire is active: raise its version' },
  webhook_url_invalid: { status: 400, message: 'the webhook URL is not acceptable' },
  webhook_events_invalid: { status: 400, message: 'unknown webhook event type' },
  webhook_query_invalid: { status: 400, message: 'a query parameter is invalid' },
  webhook_not_found: { status: 404, message: 'no webhook subscription with this id' },
  webhook_delivery_not_found: { status: 404, message: 'no webhook delivery with this id' },
  webhook_managed_by_config: { status: 409, message: 'this subscription comes from WEBHOOK_URL: change the environment instead' },
  outbound_off: { status: 503, message: 'outbound calls are off: set TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER and the Twilio credentials' },
  twilio_refused: { status: 502, message: 'Twilio refused the call' },
  twilio_unclear: { status: 502, message: 'Twilio gave no clear answer: the call may or may not have been placed' },
  do_not_call: { status: 409, message: 'this number is on the do-not-call list' },
  not_on_do_not_call: { status: 404, message: 'this number is not on the do-not-call list' },
  attempt_not_found: { status: 404, message: 'no call attempt with this id' },
  campaign_not_found: { status: 404, message: 'no campaign with this id' },
  session_invalid: { status: 401, message: 'the console session has ended (signed out, expired or the account disabled): sign in again' },
  csrf_failed: { status: 403, message: 'a change made with the console session must carry its X-CSRF-Token' },
  sign_in_failed: { status: 401, message: 'unknown name or wrong password' },
  too_many_sign_ins: { status: 429, message: 'too many failed sign-ins from this address: wait 15 minutes' },
  session_not_allowed: { status: 403, message: 'API keys and console accounts are created with an API key, not from a console session' },
  console_user_taken: { status: 409, message: 'a console account with this username exists' },
  console_user_not_found: { status: 404, message: 'no enabled console account with this id' },
  prompts_unavailable: { status: 503, message: "the questionnaire's prompts could not be rendered; it was not activated" },
  internal: { status: 500, message: 'internal error' },
  unavailable: { status: 503, message: 'the bridge is shutting down' },
  pending_full: { status: 503, message: 'too many streams are waiting to start' },
} as const satisfies Record<string, { status: number; message: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** A request refused on purpose: the app's error handler answers it from the catalog and logs a warning. */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly status: number;

  constructor(code: HttpErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? HTTP_ERRORS[code].message, options);
    this.name = 'HttpError';
    this.code = code;
    this.status = HTTP_ERRORS[code].status;
  }
}

export function sendError(res: Response, code: HttpErrorCode, message?: string): void {
  res.status(HTTP_ERRORS[code].status).json({ error: code, message: message ?? HTTP_ERRORS[code].message });
}

/** The same answer written straight to a socket (WebSocket upgrades never reach Express). */
export function rawErrorResponse(code: HttpErrorCode, message?: string): string {
  const { status } = HTTP_ERRORS[code];
  const body = JSON.stringify({ error: code, message: message ?? HTTP_ERRORS[code].message });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** body-parser's (raw-body's) error types, as ours. */
const BODY_ERROR_CODES: Readonly<Record<string, HttpErrorCode>> = {
  'entity.too.large': 'body_too_large',
  'parameters.too.many': 'too_many_parameters',
  'charset.unsupported': 'unsupported_charset',
  'encoding.unsupported': 'unsupported_encoding',
  'entity.parse.failed': 'malformed_body',
  'request.size.invalid': 'malformed_body',
  'querystring.parse.rangeError': 'malformed_body',
  'request.aborted': 'request_aborted',
};

/** A 4xx status without a known type still gets a code of its class. */
const STATUS_FALLBACK: Readonly<Record<number, HttpErrorCode>> = {
  403: 'forbidden',
  404: 'not_found',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

/**
 * The client's mistake an error stands for, or undefined for a genuine bug (answer 500). Knows
 * our HttpError and the http-errors that body-parser raises (a 4xx `status`, a `type`).
 */
export function clientErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, type, code, message } = error as Record<string, unknown>;
  const httpStatus = typeof status === 'number' ? status : statusCode;
  if (typeof httpStatus !== 'number' || httpStatus < 400 || httpStatus > 499) return undefined;
  const reason = typeof message === 'string' ? message.slice(0, 200) : undefined;
  const known = typeof type === 'string' ? BODY_ERROR_CODES[type] : undefined;
  // A JSON parser's message quotes the body (which may hold a phone number or an answer): never repeated.
  if (type === 'entity.parse.failed') return new HttpError('malformed_body', 'the request body is not valid JSON', { cause: error });
  if (known) return new HttpError(known, reason, { cause: error });
  // A body that does not decompress: zlib's error (Z_DATA_ERROR, Z_BUF_ERROR…) passed on as a 400.
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new HttpError('malformed_body', `the request body does not decompress: ${reason ?? code}`, { cause: error });
  }
  return new HttpError(STATUS_FALLBACK[httpStatus] ?? 'bad_request', reason, { cause: error });
}
