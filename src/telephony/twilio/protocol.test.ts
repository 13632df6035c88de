import { decodeTwilio, encodeTwilio } from './protocol';

const start = {
  event: 'start',
  sequenceNumber: '1',
  streamSid: 'MZ1',
  start: {
    streamSid: 'MZ1',
    accountSid: 'AC1',
    callSid: 'CA1',
    tracks: ['inbound'],
    customParameters: { questionnaire: 'post-discharge', attempt: 2 },
    mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: '8000', channels: 1 },
  },
};

describe('Twilio frames in', () => {
  test('connected', () => {
    expect(decodeTwilio('{"event":"connected","protocol":"Call","version":"1.0.0"}')).toEqual({ ok: true, event: { type: 'connected' } });
  });

  test('start, with numbers given as strings and parameters kept as text', () => {
    expect(decodeTwilio(JSON.stringify(start))).toEqual({
      ok: true,
      event: {
        type: 'start',
        streamId: 'MZ1',
        callId: 'CA1',
        parameters: { questionnaire: 'post-discharge', attempt: '2' },
        context: {},
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRateHz: 8000, channels: 1 },
      },
    });
  });

  test('media keeps the base64 payload and reads the timestamp loosely', () => {
    const frame = { event: 'media', streamSid: 'MZ1', media: { track: 'inbound', chunk: '2', timestamp: '40', payload: '//8=' } };
    expect(decodeTwilio(JSON.stringify(frame))).toEqual({ ok: true, event: { type: 'audio', payload: '//8=', timestampMs: 40 } });
  });

  test.each([
    ['dtmf', { event: 'dtmf', dtmf: { track: 'inbound_track', digit: '5' } }, { type: 'dtmf', digit: '5' }],
    ['dtmf #', { event: 'dtmf', dtmf: { digit: '#' } }, { type: 'dtmf', digit: '#' }],
    ['dtmf as a number', { event: 'dtmf', dtmf: { digit: 7 } }, { type: 'dtmf', digit: '7' }],
    ['mark', { event: 'mark', mark: { name: 'seg-3' } }, { type: 'mark', name: 'seg-3' }],
    ['stop', { event: 'stop', stop: { accountSid: 'AC1', callSid: 'CA1' } }, { type: 'stop' }],
  ])('%s', (_name, frame, event) => {
    expect(decodeTwilio(JSON.stringify(frame))).toEqual({ ok: true, event });
  });

  test.each([
    ['not JSON', '{"event":', 'malformed_json'],
    ['an array', '[1,2]', 'invalid_message'],
    ['an unknown event', '{"event":"party"}', 'unknown_event'],
    ['no event at all', '{"media":{}}', 'unknown_event'],
    ['start without callSid', JSON.stringify({ event: 'start', start: { streamSid: 'MZ' } }), 'invalid_message'],
    ['media without payload', '{"event":"media","media":{}}', 'invalid_message'],
    ['media on the outbound track', '{"event":"media","media":{"track":"outbound","payload":"AA=="}}', 'invalid_message'],
    ['dtmf with two digits', '{"event":"dtmf","dtmf":{"digit":"12"}}', 'invalid_message'],
    ['mark without a name', '{"event":"mark","mark":{}}', 'invalid_message'],
  ])('%s is rejected with a reason, never thrown', (_name, text, reason) => {
    expect(decodeTwilio(text)).toMatchObject({ ok: false, reason });
  });
});

describe('Twilio frames out', () => {
  test('media carries raw mu-law as base64, bit for bit', () => {
    const audio = new Uint8Array([0, 1, 127, 128, 254, 255]);
    const msg = JSON.parse(encodeTwilio({ type: 'play', audio }, 'MZ1') as string) as { event: string; streamSid: string; media: { payload: string } };
    expect(msg.event).toBe('media');
    expect(msg.streamSid).toBe('MZ1');
    expect([...Buffer.from(msg.media.payload, 'base64')]).toEqual([...audio]);
  });

  test('a frame that is a view into a larger buffer sends only its own bytes', () => {
    const whole = new Uint8Array(480).map((_, i) => i % 256);
    const view = whole.subarray(160, 320);
    const msg = JSON.parse(encodeTwilio({ type: 'play', audio: view }, 'MZ1') as string) as { media: { payload: string } };
    expect([...Buffer.from(msg.media.payload, 'base64')]).toEqual([...view]);
  });

  test('mark and clear', () => {
    expect(JSON.parse(encodeTwilio({ type: 'mark', name: 'seg-1' }, 'MZ1') as string)).toEqual({ event: 'mark', streamSid: 'MZ1', mark: { name: 'seg-1' } });
    expect(JSON.parse(encodeTwilio({ type: 'clear' }, 'MZ1') as string)).toEqual({ event: 'clear', streamSid: 'MZ1' });
  });

  test('hang-up and transfer have no Twilio message: the session closes the socket instead', () => {
    expect(encodeTwilio({ type: 'hangup' }, 'MZ1')).toBeNull();
    expect(encodeTwilio({ type: 'transfer', number: '+1' }, 'MZ1')).toBeNull();
  });
});
