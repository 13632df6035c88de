import { decodeMaqsam, encodeMaqsam, maqsamProtocol } from './protocol';

/** The example from Maqsam's integration document, with a campaign's variables. */
const setup = {
  type: 'session.setup',
  apiKey: 'secret-token-1234567',
  data: {
    context: {
      id: 123,
      caller_number: '9621234567',
      callee_number: '9621234566',
      caller: 'Noor',
      callee: 'Yomna',
      inputs: ['AI', 'Sales'],
      direction: 'outbound',
      timestamp: '2025-04-07 10:00:00',
      custom: { patient_name: 'نور', questionnaire: 'post-discharge', visit_id: 42, flags: { a: 1 }, missing: null },
    },
  },
};

describe('Maqsam frames in', () => {
  test('session.setup starts the stream: id as call and stream, campaign variables and direction as context', () => {
    expect(decodeMaqsam(JSON.stringify(setup))).toEqual({
      ok: true,
      event: {
        type: 'start',
        callId: '123',
        streamId: '123',
        parameters: {},
        context: { patient_name: 'نور', questionnaire: 'post-discharge', visit_id: '42', direction: 'outbound' },
        authToken: 'secret-token-1234567',
      },
    });
  });

  test('phone numbers and contact names never reach the context', () => {
    const result = decodeMaqsam(JSON.stringify(setup));
    const text = JSON.stringify(result);
    for (const personal of ['9621234567', '9621234566', 'Noor', 'Yomna']) expect(text).not.toContain(personal);
  });

  test('the direction from Maqsam wins over a campaign variable of the same name', () => {
    const frame = { type: 'session.setup', data: { context: { id: 'c1', direction: 'inbound', custom: { direction: 'sideways' } } } };
    expect(decodeMaqsam(JSON.stringify(frame))).toMatchObject({ ok: true, event: { context: { direction: 'inbound' } } });
  });

  test('without apiKey, custom or direction the setup still starts, with a null credential', () => {
    expect(decodeMaqsam('{"type":"session.setup","data":{"context":{"id":"abc"}}}')).toEqual({
      ok: true,
      event: { type: 'start', callId: 'abc', streamId: 'abc', parameters: {}, context: {}, authToken: null },
    });
  });

  test.each([
    ['no data', '{"type":"session.setup","apiKey":"k"}'],
    ['no context id', '{"type":"session.setup","data":{"context":{"custom":{}}}}'],
    ['an empty id', '{"type":"session.setup","data":{"context":{"id":""}}}'],
    ['an object as id', '{"type":"session.setup","data":{"context":{"id":{}}}}'],
  ])('a setup with %s is rejected (no call id to file it under)', (_name, text) => {
    expect(decodeMaqsam(text)).toMatchObject({ ok: false, reason: 'invalid_message' });
  });

  test('audio.input has no timestamp', () => {
    expect(decodeMaqsam('{"type":"audio.input","data":{"audio":"//8="}}')).toEqual({ ok: true, event: { type: 'audio', payload: '//8=', timestampMs: null } });
  });

  test.each([
    ['a string digit', '{"type":"call.dtmf","data":{"digit":"7"}}', '7'],
    ['a number digit', '{"type":"call.dtmf","data":{"digit":7}}', '7'],
    ['zero as a number', '{"type":"call.dtmf","data":{"digit":0}}', '0'],
    ['star', '{"type":"call.dtmf","data":{"digit":"*"}}', '*'],
    ['a lower-case letter key', '{"type":"call.dtmf","data":{"digit":"d"}}', 'D'],
  ])('call.dtmf with %s', (_name, text, digit) => {
    expect(decodeMaqsam(text)).toEqual({ ok: true, event: { type: 'dtmf', digit } });
  });

  test('call.mark echoes the label', () => {
    expect(decodeMaqsam('{"type":"call.mark","data":{"label":"seg-3"}}')).toEqual({ ok: true, event: { type: 'mark', name: 'seg-3' } });
  });

  test.each([
    ['audio.input without audio', '{"type":"audio.input","data":{}}', 'invalid_message'],
    ['call.mark without a label', '{"type":"call.mark"}', 'invalid_message'],
    ['call.dtmf with two digits', '{"type":"call.dtmf","data":{"digit":12}}', 'invalid_message'],
    ['a Twilio frame', '{"event":"media","media":{"payload":"AA=="}}', 'unknown_event'],
    ['a message we send', '{"type":"response.stream","data":{"audio":"AA=="}}', 'unknown_event'],
  ])('%s is rejected', (_name, text, reason) => {
    expect(decodeMaqsam(text)).toMatchObject({ ok: false, reason });
  });
});

describe('Maqsam frames out', () => {
  test.each([
    [{ type: 'ready' } as const, '{"type":"session.ready"}'],
    [{ type: 'clear' } as const, '{"type":"speech.started"}'],
    [{ type: 'hangup' } as const, '{"type":"call.hangup"}'],
    [{ type: 'transfer', number: '+966500000000' } as const, '{"type":"call.redirect"}'],
    [{ type: 'mark', name: 'seg-"1"' } as const, '{"type":"call.mark","data":{"label":"seg-\\"1\\""}}'],
    [{ type: 'play', audio: new Uint8Array([0xff, 0x7f, 0x00]) } as const, '{"type":"response.stream","data":{"audio":"/38A"}}'],
  ])('%j is %s', (command, text) => {
    expect(maqsamProtocol.encode(command, '123')).toBe(text);
  });

  test('a transfer carries no number: Maqsam picks the human from its own flow', () => {
    expect(encodeMaqsam({ type: 'transfer', number: '+966500000000' })).not.toContain('966');
  });
});
