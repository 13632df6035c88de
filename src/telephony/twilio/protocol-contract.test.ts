import { describeProtocolContract } from '../testing/protocol-contract';
import { twilioProtocol } from './protocol';

const frame = (msg: object) => JSON.stringify(msg);

describeProtocolContract(twilioProtocol, {
  streamId: 'MZ1',
  start: {
    frame: frame({
      event: 'start',
      sequenceNumber: '1',
      streamSid: 'MZ1',
      start: {
        streamSid: 'MZ1',
        accountSid: 'AC1',
        callSid: 'CA1',
        tracks: ['inbound'],
        customParameters: { questionnaire: 'post-discharge' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    }),
    expected: { callId: 'CA1', streamId: 'MZ1', parameters: { questionnaire: 'post-discharge' } },
  },
  audioFrame: (payload) => frame({ event: 'media', sequenceNumber: '2', streamSid: 'MZ1', media: { track: 'inbound', chunk: '1', timestamp: '0', payload } }),
  dtmfFrame: (digit) => frame({ event: 'dtmf', streamSid: 'MZ1', sequenceNumber: '3', dtmf: { track: 'inbound_track', digit } }),
  markFrame: (name) => frame({ event: 'mark', streamSid: 'MZ1', sequenceNumber: '4', mark: { name } }),
  malformedJson: '{"event":"media","streamSid":"MZ1","media":{"payload":"//8',
  unknownEvent: frame({ event: 'party', streamSid: 'MZ1' }),
  readPlayed: (text) => {
    const msg = JSON.parse(text) as { event: string; streamSid: string; media: { payload: string } };
    if (msg.event !== 'media' || msg.streamSid !== 'MZ1') throw new Error(`not a media frame for MZ1: ${text.slice(0, 80)}`);
    return new Uint8Array(Buffer.from(msg.media.payload, 'base64'));
  },
  markMessage: (name, streamSid) => ({ event: 'mark', streamSid, mark: { name } }),
  clearMessage: (streamSid) => ({ event: 'clear', streamSid }),
});
