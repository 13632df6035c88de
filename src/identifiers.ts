/**
 * The formats of identifiers that come from outside (API bodies, stream parameters, callbacks),
 * checked the same way everywhere, and the masking that keeps phone numbers out of logs.
 */

/** Our ids (calls, attempts, keys, campaigns): what the database's uuid cast accepts. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A phone number in E.164 form. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;
export const E164_MESSAGE = 'must be an E.164 number such as +966501234567';

/** A FHIR patient reference, as clinics give it. */
export const PATIENT_REFERENCE = /^Patient\/[A-Za-z0-9\-.]{1,64}$/;

/** Phone-number-like runs of digits (with a +, or %2B as a URL path encodes it) masked, for logs and stored error text. */
export function maskNumbers(text: string): string {
  return text.replace(/(\+|%2B)?\d[\d\s-]{5,}\d/gi, '[number]');
}

/**
 * An error's message fit for a log line or a stored reason: numbers masked (Twilio's and the
 * database's messages can quote a phone number) and at most 200 characters. Never log the error
 * object itself: its fields can carry request parameters and credentials.
 */
export function maskedReason(error: unknown): string {
  return maskNumbers(String((error as { message?: unknown } | null)?.message ?? error)).slice(0, 200);
}

/** Whether `tz` is an IANA time zone name this runtime knows (Asia/Riyadh, UTC), not an offset. */
export function isTimeZoneName(tz: string): boolean {
  // Names only: Postgres reads a numeric offset such as +03:00 with the sign reversed (POSIX).
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
