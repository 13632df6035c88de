/**
 * What a voice-bench caller says: short Arabic answers synthesised once with the project's own
 * espeak voice, as 8 kHz μ-law 20 ms frames with the leading and trailing silence trimmed (so an
 * utterance's last frame is its last audible one), cached on disk so later runs skip synthesis.
 * fixtures/speech holds no recordings (only worker scripts), hence the synthesis.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeMulaw } from '../src/audio/mulaw';
import { EspeakTtsProvider } from '../src/speech/espeak/espeak-tts';
import { FRAME_BYTES, framesOf, renderTelephoneAudio } from '../src/speech/to-telephone';

/** Answers a caller of the post-discharge questionnaire might give. */
export const CALLER_TEXTS: readonly string[] = [
  'نعم أوافق',
  'لا الحمد لله ما عندي ألم في الصدر',
  'أحس بضيق بسيط لما أمشي',
  'الألم حوالي أربعة من عشرة',
  'حرارتي سبعة وثلاثين',
  'آخذ الدواء كل يوم الصبح والمسا',
];
const VOICE = 'ar';
/** A 20 ms frame whose RMS (int16) exceeds this is audible speech, not the synthesiser's padding. */
const AUDIBLE_RMS = 300;

export interface CallerSpeech {
  /** One entry per text: its 160-byte μ-law frames, first and last audible. */
  utterances: Uint8Array[][];
  /** Where the frames were read from or written to. */
  cacheFile: string;
  /** True when they were synthesised by this call (not read from the cache). */
  synthesised: boolean;
}

function frameRms(frame: Uint8Array): number {
  const samples = decodeMulaw(frame);
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** `frames` without the inaudible frames at either end. */
export function trimSilence(frames: readonly Uint8Array[]): Uint8Array[] {
  const audible = frames.map((f) => frameRms(f) > AUDIBLE_RMS);
  const first = audible.indexOf(true);
  const last = audible.lastIndexOf(true);
  return first < 0 ? [] : frames.slice(first, last + 1);
}

function cacheFileFor(dir: string): string {
  const key = createHash('sha256').update(JSON.stringify({ voice: VOICE, texts: CALLER_TEXTS, rms: AUDIBLE_RMS })).digest('hex').slice(0, 16);
  return path.join(dir, `caller-speech-${key}.bin`);
}

/** The caller's utterances: from the cache when present, otherwise synthesised (a second or two) and cached. */
export async function loadCallerSpeech(cacheDir = path.join(tmpdir(), 'telephony-bridge-bench')): Promise<CallerSpeech> {
  const cacheFile = cacheFileFor(cacheDir);
  try {
    return { utterances: decodeCache(readFileSync(cacheFile)), cacheFile, synthesised: false };
  } catch {
    // Not cached yet (or unreadable): synthesise below.
  }
  const tts = new EspeakTtsProvider({ voice: VOICE });
  const utterances: Uint8Array[][] = [];
  try {
    for (const text of CALLER_TEXTS) {
      const frames = trimSilence(framesOf(await renderTelephoneAudio(tts.synthesize(text))));
      if (frames.length === 0) throw new Error(`espeak produced no audible speech for "${text}"`);
      utterances.push(frames);
    }
  } finally {
    await tts.close();
  }
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(partial, encodeCache(utterances));
  renameSync(partial, cacheFile);
  return { utterances, cacheFile, synthesised: true };
}

/** Cache layout: a JSON array of frame counts, a newline, then every frame's bytes in order. */
function encodeCache(utterances: readonly Uint8Array[][]): Buffer {
  const header = Buffer.from(`${JSON.stringify(utterances.map((u) => u.length))}\n`);
  return Buffer.concat([header, ...utterances.flat()]);
}

function decodeCache(data: Buffer): Uint8Array[][] {
  const newline = data.indexOf(10);
  const counts = JSON.parse(data.subarray(0, newline).toString()) as number[];
  if (counts.length !== CALLER_TEXTS.length) throw new Error('stale caller-speech cache');
  let offset = newline + 1;
  const utterances = counts.map((count) =>
    Array.from({ length: count }, () => {
      const frame = new Uint8Array(data.subarray(offset, offset + FRAME_BYTES));
      offset += FRAME_BYTES;
      return frame;
    }),
  );
  if (offset !== data.length) throw new Error('truncated caller-speech cache');
  return utterances;
}
