import { encodeMulaw } from '../src/audio/mulaw';
import type { PromptSource } from '../src/call/prompt-source';

/**
 * Prompts as long tones, rendered once and kept (like the real prompt cache), so the bench
 * measures the bridge and not prompt generation. Each text gets its own pitch.
 */
export class CachedTonePrompts implements PromptSource {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(private readonly durationMs: number) {}

  warm(texts: Iterable<string>): void {
    for (const text of texts) this.cache.set(text, toneFor(text, this.durationMs));
  }

  get(text: string): Uint8Array | undefined {
    return this.cache.get(text);
  }

  /** Dynamic text (read-backs): rendered at once here; the bench's answers avoid read-backs. */
  render(text: string): Promise<Uint8Array> {
    const audio = toneFor(text, this.durationMs);
    this.cache.set(text, audio);
    return Promise.resolve(audio);
  }
}

/** 300–3,300 Hz in 20 Hz steps, from a hash of the text. */
function toneFor(text: string, durationMs: number): Uint8Array {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  const frequencyHz = 300 + (h % 151) * 20;
  const n = Math.round((durationMs / 1000) * 8000);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * frequencyHz * i) / 8000));
  return encodeMulaw(pcm);
}
