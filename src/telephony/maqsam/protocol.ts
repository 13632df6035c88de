import { base64Of, describeValue, id as providerId, isObject, parseFrame, str, stringRecord } from '../json-fields';
import type { DecodeResult, InboundEvent, OutboundCommand, ProtocolAdapter } from '../events';

/**
 * Maqsam's voice-agent WebSocket: JSON text frames, each with a `type`. Decoding is liberal
 * (ids and digits may be numbers, optional fields may be missing); anything unusable is rejected
 * with a reason, never thrown. Encoding is a fixed message per command.
 */
export const maqsamProtocol: ProtocolAdapter = {
  provider: 'maqsam',
  decode: decodeMaqsam,
  encode: encodeMaqsam,
};


/**
 * `session.setup` context keys that may reach prompts. Phone numbers and contact names
 * (caller_number, callee_number, caller, callee) are health data the questionnaire never needs.
 */
const CONTEXT_KEYS = ['direction'] as const;

const invalid = (detail: string): DecodeResult => ({ ok: false, reason: 'invalid_message', detail });
const ok = (event: InboundEvent): DecodeResult => ({ ok: true, event });

export function decodeMaqsam(text: string): DecodeResult {
  const frame = parseFrame(text);
  if (!frame.ok) return frame;
  const msg = frame.msg;
  const type = msg['type'];
  const data = isObject(msg['data']) ? msg['data'] : {};
  switch (type) {
    case 'session.setup': {
      const context = isObject(data['context']) ? data['context'] : {};
      const id = providerId(context['id']);
      if (!id) return invalid('session.setup without a usable data.context.id (1–128 printable characters)');
      const values = stringRecord(context['custom']);
      if (values === null) return invalid('session.setup with more or longer custom values than a campaign sends');
      for (const key of CONTEXT_KEYS) {
        const s = str(context[key]);
        if (s !== null) values[key] = s;
      }
      return ok({ type: 'start', streamId: id, callId: id, parameters: {}, context: values, authToken: str(msg['apiKey']) });
    }
    case 'audio.input': {
      const audio = data['audio'];
      if (typeof audio !== 'string') return invalid('audio.input without data.audio');
      return ok({ type: 'audio', payload: audio, timestampMs: null });
    }
    case 'call.dtmf': {
      const digit = str(data['digit'])?.toUpperCase() ?? null;
      if (digit === null || !/^[0-9*#A-D]$/.test(digit)) return invalid('call.dtmf without a keypad digit');
      return ok({ type: 'dtmf', digit });
    }
    case 'call.mark': {
      const label = str(data['label']);
      if (label === null) return invalid('call.mark without data.label');
      return ok({ type: 'mark', name: label });
    }
    default:
      return { ok: false, reason: 'unknown_event', detail: `unknown type ${describeValue(type)}` };
  }
}

/** Maqsam has one stream per socket, so `streamId` is not part of any message. */
export function encodeMaqsam(command: OutboundCommand, _streamId?: string): string {
  switch (command.type) {
    case 'play': {
      const payload = command.payload ?? base64Of(command.audio);
      return `{"type":"response.stream","data":{"audio":"${payload}"}}`;
    }
    case 'mark':
      return JSON.stringify({ type: 'call.mark', data: { label: command.name } });
    // Maqsam's barge-in: it stops playing the audio already sent.
    case 'clear':
      return '{"type":"speech.started"}';
    case 'ready':
      return '{"type":"session.ready"}';
    // Maqsam then resumes its own configured flow for the call.
    case 'hangup':
      return '{"type":"call.hangup"}';
    // Maqsam's redirect takes no target: Maqsam connects a human agent from its own flow, so
    // `command.number` is not sent.
    case 'transfer':
      return '{"type":"call.redirect"}';
  }
}
