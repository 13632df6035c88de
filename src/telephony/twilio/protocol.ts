import { base64Of, describeValue, id, isObject, num, parseFrame, str, stringRecord } from '../json-fields';
import type { DecodeResult, InboundEvent, OutboundCommand, ProtocolAdapter } from '../events';

/**
 * Twilio bidirectional Media Streams, text frames only. Numbers often arrive as strings, so
 * they are read loosely; anything else malformed is rejected with a reason, never thrown.
 */
export const twilioProtocol: ProtocolAdapter = {
  provider: 'twilio',
  decode: decodeTwilio,
  encode: encodeTwilio,
};


const invalid = (detail: string): DecodeResult => ({ ok: false, reason: 'invalid_message', detail });
const ok = (event: InboundEvent): DecodeResult => ({ ok: true, event });

export function decodeTwilio(text: string): DecodeResult {
  const frame = parseFrame(text);
  if (!frame.ok) return frame;
  const msg = frame.msg;
  const event = msg['event'];
  switch (event) {
    case 'connected':
      return ok({ type: 'connected' });
    case 'start': {
      const start = msg['start'];
      if (!isObject(start)) return invalid('start without a start object');
      const streamId = id(start['streamSid']) ?? id(msg['streamSid']);
      const callId = id(start['callSid']);
      if (!streamId || !callId) return invalid('start without a usable streamSid or callSid (1–128 printable characters)');
      const parameters = stringRecord(start['customParameters']);
      if (parameters === null) return invalid('start with more or longer customParameters than Twilio sends');
      const format = start['mediaFormat'];
      const decoded: InboundEvent = { type: 'start', streamId, callId, parameters, context: {} };
      if (isObject(format)) {
        decoded.mediaFormat = {
          encoding: str(format['encoding']) ?? '',
          sampleRateHz: num(format['sampleRate']) ?? 0,
          channels: num(format['channels']) ?? 0,
        };
      }
      return ok(decoded);
    }
    case 'media': {
      const media = msg['media'];
      if (!isObject(media) || typeof media['payload'] !== 'string') return invalid('media without a payload');
      // Only the caller's audio is ours to hear; an outbound track echo would be our own voice.
      const track = str(media['track']);
      if (track !== null && track !== 'inbound' && track !== 'inbound_track') return invalid(`media on track ${track}`);
      return ok({ type: 'audio', payload: media['payload'], timestampMs: num(media['timestamp']) });
    }
    case 'dtmf': {
      const dtmf = msg['dtmf'];
      const digit = isObject(dtmf) ? str(dtmf['digit']) : null;
      if (digit === null || !/^[0-9*#A-D]$/.test(digit)) return invalid('dtmf without a keypad digit');
      return ok({ type: 'dtmf', digit });
    }
    case 'mark': {
      const mark = msg['mark'];
      const name = isObject(mark) ? str(mark['name']) : null;
      if (name === null) return invalid('mark without a name');
      return ok({ type: 'mark', name });
    }
    case 'stop':
      return ok({ type: 'stop' });
    default:
      return { ok: false, reason: 'unknown_event', detail: `unknown event ${describeValue(event)}` };
  }
}

export function encodeTwilio(command: OutboundCommand, streamSid: string): string | null {
  switch (command.type) {
    case 'play': {
      const payload = command.payload ?? base64Of(command.audio);
      return `{"event":"media","streamSid":${JSON.stringify(streamSid)},"media":{"payload":"${payload}"}}`;
    }
    case 'mark':
      return JSON.stringify({ event: 'mark', streamSid, mark: { name: command.name } });
    case 'clear':
      return JSON.stringify({ event: 'clear', streamSid });
    // Twilio has no message for these: the session closes the socket, and the TwiML after
    // <Connect> (the stream-ended webhook) hangs up or dials the transfer number.
    case 'ready':
    case 'hangup':
    case 'transfer':
      return null;
  }
}
