import { describe, expect, test } from '@jest/globals';
import type { DecodeResult, InboundEvent, OutboundCommand, ProtocolAdapter, StreamStart } from '../events';

/**
 * The behaviour every provider adapter owes the rest of the bridge, run by each adapter's
 * `protocol-contract.test.ts` with that provider's wire forms. Provider-specific details (field
 * names, which commands have a message) stay in the adapter's own `protocol.test.ts`.
 *
 * Jest's functions are imported, not global, so the production build compiles this file too.
 */
export interface ProtocolFixtures {
  /** The stream id passed to `encode`. */
  streamId: string;
  /** The provider's start frame and what it must decode to (compared with `toMatchObject`). */
  start: { frame: string; expected: Partial<StreamStart> & Pick<StreamStart, 'callId' | 'streamId'> };
  /** An inbound audio frame carrying this base64 payload. */
  audioFrame(payloadBase64: string): string;
  /** A key press, with the digit as the provider may send it (a string or a number). */
  dtmfFrame(digit: string | number): string;
  /** The provider's echo of a mark we sent. */
  markFrame(name: string): string;
  /** The provider's own frame, cut short. */
  malformedJson: string;
  /** A well-formed frame of a type the adapter does not know. */
  unknownEvent: string;
  /** Reads an outbound play frame as the provider does: the μ-law bytes it will play. */
  readPlayed(frame: string): Uint8Array;
  /** The parsed JSON the provider expects for a mark and for a clear (barge-in). */
  markMessage(name: string, streamId: string): unknown;
  clearMessage(streamId: string): unknown;
}

const REASONS = ['malformed_json', 'unknown_event', 'invalid_message'];
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

export function describeProtocolContract(adapter: ProtocolAdapter, fx: ProtocolFixtures): void {
  const decoded = (text: string): InboundEvent => {
    const result = adapter.decode(text);
    if (!result.ok) throw new Error(`expected ${text.slice(0, 80)} to decode, got ${result.reason}: ${result.detail}`);
    return result.event;
  };
  const encoded = (command: OutboundCommand): string => {
    const text = adapter.encode(command, fx.streamId);
    if (text === null) throw new Error(`expected ${command.type} to have a ${adapter.provider} message`);
    return text;
  };

  describe(`${adapter.provider} protocol contract: frames in`, () => {
    test('the start names the call and the stream, with text-only parameters and context', () => {
      const start = decoded(fx.start.frame);
      expect(start).toMatchObject({ type: 'start', ...fx.start.expected });
      if (start.type !== 'start') return;
      expect(start.callId).not.toBe('');
      expect(start.streamId).not.toBe('');
      expectTextRecord(start.parameters);
      expectTextRecord(start.context);
    });

    test.each([
      ['one frame of silence', new Uint8Array(160).fill(0xff)],
      ['every byte value', Uint8Array.from({ length: 256 }, (_, i) => i)],
      ['one byte (base64 padding)', new Uint8Array([0x7f])],
      ['two bytes (base64 padding)', new Uint8Array([0x00, 0x80])],
    ])('audio keeps the payload of %s bit for bit', (_name, bytes) => {
      const event = decoded(fx.audioFrame(Buffer.from(bytes).toString('base64')));
      expect(event.type).toBe('audio');
      if (event.type !== 'audio') return;
      expect([...Buffer.from(event.payload, 'base64')]).toEqual([...bytes]);
      expect(event.timestampMs === null || Number.isFinite(event.timestampMs)).toBe(true);
    });

    test.each(KEYS)('dtmf %s as a string', (digit) => {
      expect(decoded(fx.dtmfFrame(digit))).toEqual({ type: 'dtmf', digit });
    });

    test.each([0, 5, 9])('dtmf %d as a number', (digit) => {
      expect(decoded(fx.dtmfFrame(digit))).toEqual({ type: 'dtmf', digit: String(digit) });
    });

    test.each(['12', '', 'x', 10, -1, 1.5])('dtmf %p is not a key and is rejected', (digit) => {
      expect(adapter.decode(fx.dtmfFrame(digit))).toMatchObject({ ok: false, reason: 'invalid_message' });
    });

    test.each(['seg-1', 'prompt:greeting:0', 'سؤال "١"', 'a\\b\n'])('the echo of mark %p keeps its name', (name) => {
      expect(decoded(fx.markFrame(name))).toEqual({ type: 'mark', name });
    });

    test.each([
      ['the provider frame cut short', () => fx.malformedJson, 'malformed_json'],
      ['empty text', () => '', 'malformed_json'],
      ['an array', () => '[1,2]', 'invalid_message'],
      ['a number', () => '3', 'invalid_message'],
      ['null', () => 'null', 'invalid_message'],
      ['a string', () => '"start"', 'invalid_message'],
      ['an unknown event', () => fx.unknownEvent, 'unknown_event'],
      ['an empty object', () => '{}', 'unknown_event'],
    ])('%s is rejected with a reason and a detail', (_name, text, reason) => {
      const result = adapter.decode(text());
      expect(result).toMatchObject({ ok: false, reason });
      expect(result.ok || result.detail.length > 0).toBe(true);
    });

    test('garbage never throws: random text, every truncation, and every field replaced', () => {
      const random = mulberry32(0x5eed);
      const frames = [
        fx.start.frame,
        fx.audioFrame(Buffer.from(Uint8Array.from({ length: 24 }, (_, i) => i * 7)).toString('base64')),
        fx.dtmfFrame('5'),
        fx.markFrame('seg-1'),
        fx.unknownEvent,
      ];
      const inputs: string[] = [];
      for (const frame of frames) for (let n = 0; n < frame.length; n++) inputs.push(frame.slice(0, n));
      for (const frame of frames) inputs.push(...mutations(JSON.parse(frame) as unknown));
      const alphabet = '{}[]":,.-0123456789eE truefalsnul\\\u0000\u00ffسabc';
      for (let i = 0; i < 300; i++) {
        const length = Math.floor(random() * 64);
        inputs.push(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
      }
      expect(inputs.length).toBeGreaterThan(300);
      for (const text of inputs) {
        let result: DecodeResult | undefined;
        expect(() => {
          result = adapter.decode(text);
        }).not.toThrow();
        expectWellFormed(result as DecodeResult, text);
      }
    });
  });

  describe(`${adapter.provider} protocol contract: frames out`, () => {
    test('play sends exactly the bytes of a view into a larger buffer', () => {
      const whole = Uint8Array.from({ length: 480 }, (_, i) => (i * 31) % 256);
      const view = whole.subarray(160, 320);
      expect([...fx.readPlayed(encoded({ type: 'play', audio: view }))]).toEqual([...view]);
    });

    test.each([1, 2, 3, 159, 161])('play of %d bytes (any length) round-trips', (length) => {
      const whole = Uint8Array.from({ length: length + 7 }, (_, i) => 255 - (i % 256));
      const view = whole.subarray(5, 5 + length);
      expect([...fx.readPlayed(encoded({ type: 'play', audio: view }))]).toEqual([...view]);
    });

    test.each(['seg-1', 'سؤال "١"\n'])('mark %p is the provider mark message', (name) => {
      expect(JSON.parse(encoded({ type: 'mark', name }))).toEqual(fx.markMessage(name, fx.streamId));
    });

    test('a mark we send comes back, in the provider echo, as the same name', () => {
      const name = 'prompt:2:"x"';
      expect(decoded(fx.markFrame(name))).toEqual({ type: 'mark', name });
    });

    test('clear is the provider barge-in message', () => {
      expect(JSON.parse(encoded({ type: 'clear' }))).toEqual(fx.clearMessage(fx.streamId));
    });

    test.each<OutboundCommand>([{ type: 'ready' }, { type: 'hangup' }, { type: 'transfer', number: '+966500000000' }])(
      '$type is a JSON message or nothing at all',
      (command) => {
        const text = adapter.encode(command, fx.streamId);
        if (text !== null) expect(() => JSON.parse(text)).not.toThrow();
      },
    );
  });
}

function expectTextRecord(record: Readonly<Record<string, string>>): void {
  for (const value of Object.values(record)) expect(typeof value).toBe('string');
}

/** A result is either a rejection with a known reason, or an event whose fields are usable. */
function expectWellFormed(result: DecodeResult, text: string): void {
  const where = `decoding ${JSON.stringify(text).slice(0, 120)}`;
  if (!result.ok) {
    if (!REASONS.includes(result.reason) || typeof result.detail !== 'string') throw new Error(`${where}: bad rejection ${JSON.stringify(result)}`);
    return;
  }
  const e = result.event;
  const fine = (() => {
    switch (e.type) {
      case 'start':
        return (
          typeof e.callId === 'string' &&
          e.callId !== '' &&
          typeof e.streamId === 'string' &&
          e.streamId !== '' &&
          Object.values(e.parameters).every((v) => typeof v === 'string') &&
          Object.values(e.context).every((v) => typeof v === 'string') &&
          (e.authToken === undefined || e.authToken === null || typeof e.authToken === 'string')
        );
      case 'audio':
        return typeof e.payload === 'string' && (e.timestampMs === null || Number.isFinite(e.timestampMs));
      case 'dtmf':
        return /^[0-9*#A-D]$/.test(e.digit);
      case 'mark':
        return typeof e.name === 'string';
      case 'connected':
      case 'stop':
        return true;
    }
  })();
  if (!fine) throw new Error(`${where}: unusable event ${JSON.stringify(e)}`);
}

/** The frame with each value in it (objects and arrays too) replaced by each odd value in turn. */
function mutations(root: unknown): string[] {
  const odd: unknown[] = [null, 0, -1, 1.5, 1e308, '', 'x', true, [], {}, [1, 'a'], { a: { b: null } }];
  const out: string[] = [];
  const walk = (node: unknown, replace: (v: unknown) => unknown): void => {
    for (const v of odd) out.push(JSON.stringify(replace(v)));
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        walk(child, (v) => replace(node.map((c, j) => (j === i ? v : c))));
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        walk((node as Record<string, unknown>)[key], (v) => replace({ ...(node as Record<string, unknown>), [key]: v }));
      }
      for (const key of Object.keys(node)) {
        const { [key]: _dropped, ...rest } = node as Record<string, unknown>;
        out.push(JSON.stringify(replace(rest)));
      }
    }
  };
  walk(root, (v) => v);
  return out;
}

/** A small seeded PRNG, so a failing fuzz input is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
