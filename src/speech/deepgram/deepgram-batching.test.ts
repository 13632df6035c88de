import { waitFor } from '../../../test/helpers/wait';
import { buildAudio, concat, stream } from '../../../test/stand-ins/deepgram-audio';
import { ofType, useDeepgramStandIn } from '../../../test/stand-ins/deepgram-harness';

/** Audio sent to Deepgram in messages of chunkMs: fewer messages, every sample still heard once, in order. */
const dg = useDeepgramStandIn();
const SAMPLES_PER_MS = 16;

/** The byte size of every binary (audio) message the stand-in receives. */
async function countingAudio(): Promise<number[]> {
  const sizes: number[] = [];
  await dg.restart({ onMessage: (_c, data, isBinary) => void (isBinary && sizes.push(data.length)) });
  return sizes;
}

test('100 ms chunks: 20 ms frames arrive as messages of 100 ms after the first frame of speech, bit-exact, and close() sends the rest before its Finalize', async () => {
  const sizes = await countingAudio();
  const h = dg.harness({ chunkMs: 100 });
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  // Open on our side too: audio sent while still connecting waits in the reconnect buffer and goes in other sizes.
  await waitFor(() => s.stats().connections === 1, 3000, 'open');
  // 1,030 ms of loud noise: its first frame goes at once (speech starting), then ten whole chunks,
  // then 10 ms (half a frame) gathered but not yet a chunk.
  const audio = buildAudio([{ noiseMs: 1030, seed: 5 }]);
  await stream(audio, (c) => s.sendAudio(c), { yieldEvery: 5 });
  await waitFor(() => dg.standIn.received(0).length === 1020 * SAMPLES_PER_MS, 3000, 'ten chunks');
  expect(sizes).toEqual([20 * SAMPLES_PER_MS * 2, ...Array.from({ length: 10 }, () => 100 * SAMPLES_PER_MS * 2)]);
  await s.close();
  await waitFor(() => dg.standIn.received(0).length >= audio.length, 4000, 'all audio');
  expect(Buffer.from(dg.standIn.received(0).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
  expect(sizes.at(-1)).toBe(10 * SAMPLES_PER_MS * 2);
  expect(dg.standIn.connections[0]!.finalizes).toBe(1);
});

test('batching never delays what a caller waits on: the first frame of speech, and the silence that completes endpointing or the utterance end, go at once; the tail goes in 40 ms, longer silence in 240 ms', async () => {
  const sizes = await countingAudio();
  // An utterance end of 1,020 ms falls inside a 100 ms message, so its flush shows.
  const h = dg.harness({ chunkMs: 100, endpointing: 300, utteranceEndMs: 1020 });
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  // Open on our side too: audio sent while still connecting waits in the reconnect buffer and goes in other sizes.
  await waitFor(() => s.stats().connections === 1, 3000, 'open');
  const audio = buildAudio([{ noiseMs: 500, seed: 7 }, { silenceMs: 1600 }, { noiseMs: 300, seed: 8 }]);
  await stream(audio, (c) => s.sendAudio(c), { yieldEvery: 5 });
  await s.close();
  await waitFor(() => dg.standIn.received(0).length >= audio.length, 4000, 'all audio');
  expect(Buffer.from(dg.standIn.received(0).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
  expect(sizes.map((bytes) => bytes / (SAMPLES_PER_MS * 2))).toEqual([
    20, // speech starts: at once
    100, 100, 100, 100, // speech, gathered
    100, // 80 ms of speech and the first quiet frame: a whole chunk
    100, 100, // silence shorter than endpointing's 300 ms (a pause between words, so far): gathered
    80, // at 300 ms of silence, what was gathered goes at once: Deepgram can end the utterance now
    40, 40, 40, 40, 40, // and 200 ms more in 40 ms messages, in case its end of speech came after ours
    100, 100, 100, 100, 100, // gathered again
    20, // at 1,020 ms of silence, at once: Deepgram can send UtteranceEnd (the answer, on a line too noisy for endpointing)
    240, 240, // longer silence: gathered in larger messages, as nothing waits on it
    120, // speech again: at once, with the 100 ms of silence gathered before it
    100, 100, 80, // gathered; close() sends the rest
  ]);
});

test('100 ms chunks across a dropped connection: what was gathered waits for the next one, nothing lost, doubled or reordered', async () => {
  const h = dg.harness({ chunkMs: 100 });
  const s = dg.open(h);
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  // Open on our side too: audio sent while still connecting waits in the reconnect buffer and goes in other sizes.
  await waitFor(() => s.stats().connections === 1, 3000, 'open');
  const audio = buildAudio([{ noiseMs: 3000, seed: 11 }]);
  // 860 ms: the first frame (speech starting) and eight chunks sent, 40 ms of the ninth gathered. The drop is
  // noticed before any more audio comes, so the gathered part must wait for the next connection ahead of
  // what is heard meanwhile.
  const cut = 860 * SAMPLES_PER_MS;
  await stream(audio.subarray(0, cut), (c) => s.sendAudio(c), { yieldEvery: 5 });
  await waitFor(() => dg.standIn.received(0).length === 820 * SAMPLES_PER_MS, 3000, 'eight chunks');
  dg.standIn.dropConnections(1011);
  await waitFor(() => ofType(h.events, 'status').length >= 1, 3000, 'the drop noticed'); // the reconnect may follow at once
  await stream(audio.subarray(cut), (c) => s.sendAudio(c), { yieldEvery: 5 });
  // Reconnected on our side too (a close() while still connecting would drop what waits in the buffer).
  await waitFor(() => ofType(h.events, 'status').length === 2, 4000, 'reconnected');
  await s.close();
  // close() waits at most a second for Deepgram's answer; on a loaded machine the last audio may still be in flight.
  await waitFor(() => dg.standIn.received(0).length + dg.standIn.received(1).length >= audio.length, 4000, 'all audio');
  expect(Buffer.from(concat([dg.standIn.received(0), dg.standIn.received(1)]).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
  expect(s.stats()).toMatchObject({ samplesDropped: 0, samplesIn: audio.length });
  expect(ofType(h.events, 'status').map((e) => e.available)).toEqual([false, true]);
});

test('the default sends each 20 ms frame as it comes', async () => {
  const sizes = await countingAudio();
  const s = dg.open(dg.harness());
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  // Open on our side too: audio sent while still connecting waits in the reconnect buffer and goes in other sizes.
  await waitFor(() => s.stats().connections === 1, 3000, 'open');
  await stream(buildAudio([{ noiseMs: 200, seed: 2 }]), (c) => s.sendAudio(c));
  await waitFor(() => sizes.length === 10, 3000, 'ten frames');
  expect(new Set(sizes)).toEqual(new Set([20 * SAMPLES_PER_MS * 2]));
});

test('without batching (chunkMs 20), pieces smaller than a frame are gathered into 20 ms at most, silence included', async () => {
  const sizes = await countingAudio();
  const s = dg.open(dg.harness({ chunkMs: 20 }));
  await waitFor(() => dg.standIn.connections.length === 1, 3000, 'connected');
  await waitFor(() => s.stats().connections === 1, 3000, 'open');
  const audio = buildAudio([{ silenceMs: 600 }, { noiseMs: 200, seed: 3 }, { silenceMs: 1400 }]);
  // 10 ms pieces, as a provider with smaller frames would hand them over.
  for (let at = 0; at < audio.length; at += 10 * SAMPLES_PER_MS) s.sendAudio(audio.subarray(at, at + 10 * SAMPLES_PER_MS));
  await waitFor(() => dg.standIn.received(0).length === audio.length, 3000, 'all audio');
  // Whole frames, except a piece sent at once where speech starts or endpointing completes.
  expect(Math.max(...sizes)).toBe(20 * SAMPLES_PER_MS * 2);
  expect(sizes.filter((bytes) => bytes < 20 * SAMPLES_PER_MS * 2).length).toBeLessThanOrEqual(4);
  expect(Buffer.from(dg.standIn.received(0).buffer).equals(Buffer.from(audio.buffer))).toBe(true);
});
