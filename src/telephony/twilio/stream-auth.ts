import type { IncomingMessage } from 'node:http';
import type { StartCheck } from '../events';
import { type SignatureCheck, checkUpgrade } from './signature';
import { STREAM_TOKEN_PARAMETER, streamTokenKey, verifyStreamToken } from './stream-token';

export type TwilioUpgradeVerdict = { ok: true; checkStart?: StartCheck } | { ok: false; status: 400 | 403; reason: string; detail: string };

/**
 * A Twilio media stream proves itself twice: the upgrade carries X-Twilio-Signature over the
 * stream URL (refused with 403 before any WebSocket exists), and the `start` carries the per-call
 * token that the signed voice webhook issued for exactly that CallSid; a second stream for a live
 * call (Twilio opens one sometimes) takes it over only with such a token. Without TWILIO_AUTH_TOKEN
 * (development mode) neither is checked.
 */
export function twilioStreamAuth(signature: SignatureCheck): (req: IncomingMessage) => TwilioUpgradeVerdict {
  const key = signature.authToken ? streamTokenKey(signature.authToken) : null;
  const checkStart: StartCheck | undefined = key
    ? (start, { liveCall }) => {
        const verdict = verifyStreamToken(key, start.callId, start.parameters[STREAM_TOKEN_PARAMETER], { ignoreExpiry: liveCall });
        if (verdict.ok) return verdict;
        return { ok: false, reason: verdict.reason, detail: `stream token refused (${verdict.reason.replace('_', ' ')}): only the stream the voice webhook asked for may start` };
      }
    : undefined;
  return (req) => {
    const verdict = checkUpgrade(signature, req);
    if (verdict.ok) return checkStart ? { ok: true, checkStart } : { ok: true };
    if (verdict.reason === 'bad_host') {
      return { ok: false, status: 400, reason: 'bad_host', detail: 'the Host or X-Forwarded-* headers do not name a usable host' };
    }
    return { ok: false, status: 403, reason: verdict.reason, detail: `authentication failed: ${verdict.reason}` };
  };
}
