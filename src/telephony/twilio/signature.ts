import type { IncomingMessage } from 'node:http';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';

/**
 * X-Twilio-Signature checks. The URL Twilio signed is rebuilt from PUBLIC_URL when it is set,
 * because behind a TLS-terminating proxy the request itself says http:// and every check fails.
 */
export interface SignatureCheck {
  /** Undefined: development mode, everything is accepted. */
  authToken: string | undefined;
  publicUrl: string | undefined;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing_signature' | 'bad_signature' };

/** The public base URL for a request: PUBLIC_URL, else the scheme and Host the request arrived with. */
export function baseUrlOf(req: IncomingMessage, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const forwardedProto = headerValue(req, 'x-forwarded-proto')?.split(',')[0]?.trim();
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwardedProto ?? (encrypted ? 'https' : 'http');
  const host = headerValue(req, 'x-forwarded-host') ?? headerValue(req, 'host') ?? 'localhost';
  return `${proto}://${host}`;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A webhook POST: the full URL (path and query) plus the form parameters. */
export function checkWebhook(check: SignatureCheck, req: IncomingMessage, originalUrl: string, params: Record<string, string>): SignatureVerdict {
  if (!check.authToken) return { ok: true };
  const signature = headerValue(req, 'x-twilio-signature');
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const url = `${baseUrlOf(req, check.publicUrl)}${originalUrl}`;
  return validateRequest(check.authToken, signature, url, params) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/**
 * The WebSocket upgrade (a GET with no parameters). Which form of the URL Twilio signs is not
 * documented, so both the wss:// and the https:// form are accepted (and ws:// and http:// for a
 * bridge reached without TLS, as in local tests: the signature still needs the token).
 */
export function checkUpgrade(check: SignatureCheck, req: IncomingMessage): SignatureVerdict {
  if (!check.authToken) return { ok: true };
  const signature = headerValue(req, 'x-twilio-signature');
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const hostPart = baseUrlOf(req, check.publicUrl).replace(/^https?:\/\//, '');
  const path = req.url ?? '/';
  const candidates = ['wss', 'https', 'ws', 'http'].map((scheme) => `${scheme}://${hostPart}${path}`);
  const valid = candidates.some((url) => validateRequest(check.authToken as string, signature, url, {}));
  return valid ? { ok: true } : { ok: false, reason: 'bad_signature' };
}
