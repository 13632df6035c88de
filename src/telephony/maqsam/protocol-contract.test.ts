import { describeProtocolContract } from '../testing/protocol-contract';
import { maqsamProtocol } from './protocol';

const frame = (msg: object) => JSON.stringify(msg);

describeProtocolContract(maqsamProtocol, {
  streamId: '123',
  start: {
    frame: frame({
      type: 'session.setup',
      apiKey: 'k',
      data: {
        context: {
          id: 123,
          caller_number: '9621234567',
          callee_number: '9621234566',
          direction: 'outbound',
          timestamp: '2025-04-07 10:00:00',
          custom: { questionnaire: 'post-discharge' },
        },
      },
    }),
    expected: { callId: '123', streamId: '123', context: { questionnaire: 'post-discharge', direction: 'outbound' } },
  },
  audioFrame: (audio) => frame({ type: 'audio.input', data: { audio } }),
  dtmfFrame: (digit) => frame({ type: 'call.dtmf', data: { digit } }),
  markFrame: (label) => frame({ type: 'call.mark', data: { label } }),
  malformedJson: '{"type":"audio.input","data":{"audio":"//8',
  unknownEvent: frame({ type: 'session.party', data: {} }),
  readPlayed: (text) => {
    const msg = JSON.parse(text) as { type: string; data: { audio: string } };
    if (msg.type !== 'response.stream') throw new Error(`not a response.stream: ${text.slice(0, 80)}`);
    return new Uint8Array(Buffer.from(msg.data.audio, 'base64'));
  },
  markMessage: (label) => ({ type: 'call.mark', data: { label } }),
  clearMessage: () => ({ type: 'speech.started' }),
});
