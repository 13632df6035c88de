import type { SttEvent } from '../stt';

/**
 * Translation of Deepgram's live messages into our SttEvents. Pure: the caller passes the offset
 * that maps this connection's clock onto the call's audio clock.
 *
 * Deepgram's times (`words[].end`, `timestamp`, `last_word_end`) are seconds of audio received
 * on the current connection: they restart at 0 on each new connection. `offsetMs` is the call-clock
 * position of that connection's first sample (everything sent on earlier connections, plus what
 * was dropped from the reconnect buffer), so `offsetMs + seconds × 1000` is on the call clock.
 *
 * Interim results with an empty transcript are dropped, and so are empty finals that do not end
 * an utterance (Deepgram emits those during silence); an empty speech-final is kept because it
 * still marks the end of a turn.
 */
export interface MappedMessage {
  events: SttEvent[];
  /** The message answered a Finalize (close() waits for it). */
  fromFinalize: boolean;
  /** `Metadata`: sent after CloseStream, just before Deepgram closes the socket. */
  metadata: { requestId: string | null } | null;
}

const NONE: MappedMessage = { events: [], fromFinalize: false, metadata: null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function seconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function toCallMs(offsetMs: number, value: unknown): number | null {
  const s = seconds(value);
  return s === null ? null : Math.round(offsetMs + s * 1000);
}

export function mapDeepgramMessage(message: unknown, offsetMs: number): MappedMessage {
  if (!isRecord(message)) return NONE;
  switch (message.type) {
    case 'Results':
      return mapResults(message, offsetMs);
    case 'SpeechStarted': {
      const atMs = toCallMs(offsetMs, message.timestamp);
      return { ...NONE, events: [{ type: 'speech_started', atMs: atMs ?? Math.round(offsetMs) }] };
    }
    case 'UtteranceEnd':
      return { ...NONE, events: [{ type: 'utterance_end', lastWordEndMs: toCallMs(offsetMs, message.last_word_end) }] };
    case 'Metadata':
      return { ...NONE, metadata: { requestId: typeof message.request_id === 'string' ? message.request_id : null } };
    default:
      return NONE;
  }
}

function mapResults(message: Record<string, unknown>, offsetMs: number): MappedMessage {
  const fromFinalize = message.from_finalize === true;
  const channel = isRecord(message.channel) ? message.channel : {};
  const alternatives = Array.isArray(channel.alternatives) ? channel.alternatives : [];
  const best: Record<string, unknown> = isRecord(alternatives[0]) ? alternatives[0] : {};
  const text = typeof best.transcript === 'string' ? best.transcript.trim() : '';
  const confidence = typeof best.confidence === 'number' && Number.isFinite(best.confidence) ? best.confidence : 0;
  if (message.is_final !== true) {
    return { events: text === '' ? [] : [{ type: 'interim', text, confidence }], fromFinalize, metadata: null };
  }
  const speechFinal = message.speech_final === true;
  if (text === '' && !speechFinal) return { events: [], fromFinalize, metadata: null };
  const words = Array.isArray(best.words) ? best.words : [];
  const lastWord: unknown = words[words.length - 1];
  const lastWordEndMs = isRecord(lastWord) ? toCallMs(offsetMs, lastWord.end) : null;
  return { events: [{ type: 'final', text, confidence, speechFinal, lastWordEndMs }], fromFinalize, metadata: null };
}
