import { mapDeepgramMessage } from './deepgram-events';

const results = (over: Record<string, unknown>, transcript = 'نعم', words = [{ word: 'نعم', start: 0.3, end: 1.1, confidence: 0.9 }]) => ({
  type: 'Results',
  start: 0,
  duration: 1.2,
  is_final: true,
  speech_final: true,
  channel: { alternatives: [{ transcript, confidence: 0.93, words }] },
  ...over,
});

test('maps a speech-final Results onto the call clock', () => {
  expect(mapDeepgramMessage(results({}), 2000)).toEqual({
    events: [{ type: 'final', text: 'نعم', confidence: 0.93, speechFinal: true, lastWordEndMs: 3100 }],
    fromFinalize: false,
    metadata: null,
  });
});

test('interim results, and from_finalize finals', () => {
  expect(mapDeepgramMessage(results({ is_final: false, speech_final: false }), 0).events).toEqual([{ type: 'interim', text: 'نعم', confidence: 0.93 }]);
  const flushed = mapDeepgramMessage(results({ speech_final: false, from_finalize: true }), 0);
  expect(flushed.fromFinalize).toBe(true);
  expect(flushed.events).toEqual([{ type: 'final', text: 'نعم', confidence: 0.93, speechFinal: false, lastWordEndMs: 1100 }]);
});

test('drops empty interims and empty non-final-speech finals, keeps an empty speech-final', () => {
  expect(mapDeepgramMessage(results({ is_final: false }, '  ', []), 0).events).toEqual([]);
  const emptyFlush = mapDeepgramMessage(results({ speech_final: false, from_finalize: true }, '', []), 0);
  expect(emptyFlush).toEqual({ events: [], fromFinalize: true, metadata: null });
  expect(mapDeepgramMessage(results({}, '', []), 500).events).toEqual([{ type: 'final', text: '', confidence: 0.93, speechFinal: true, lastWordEndMs: null }]);
});

test('SpeechStarted, UtteranceEnd and Metadata', () => {
  expect(mapDeepgramMessage({ type: 'SpeechStarted', channel: [0], timestamp: 1.25 }, 1000).events).toEqual([{ type: 'speech_started', atMs: 2250 }]);
  expect(mapDeepgramMessage({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: 2.5 }, 1000).events).toEqual([{ type: 'utterance_end', lastWordEndMs: 3500 }]);
  expect(mapDeepgramMessage({ type: 'UtteranceEnd', last_word_end: -1 }, 0).events).toEqual([{ type: 'utterance_end', lastWordEndMs: null }]);
  expect(mapDeepgramMessage({ type: 'Metadata', request_id: 'abc' }, 0).metadata).toEqual({ requestId: 'abc' });
});

test('ignores what it does not know, and malformed messages', () => {
  for (const message of [null, 'text', 42, {}, { type: 'Error' }, { type: 'Results' }, { type: 'Results', is_final: true, channel: { alternatives: 'x' } }]) {
    expect(mapDeepgramMessage(message, 0).events).toEqual([]);
  }
});
