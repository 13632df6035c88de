import { encodeMulaw } from '../../src/audio/mulaw';
import type { PromptSource } from '../../src/call/prompt-source';

/**
 * Prompts as short tones instead of speech, so call tests run quickly and can tell prompts
 * apart by pitch: each distinct text gets its own frequency. Texts not "cached" are rendered
 * after a delay, like a synthesis off the event loop.
 */
export class TonePrompts implements PromptSource {
  readonly rendered: string[] = [];
  private readonly cached = new Set<string>();

  constructor(
    private readonly durationMs = 200,
    private readonly renderDelayMs = 30,
  ) {}

  /** Marks texts as pre-rendered (as the startup warm-up does for static prompts). */
  warm(texts: Iterable<string>): void {
    for (const text of texts) this.cached.add(text);
  }

  get(text: string): Uint8Array | undefined {
    return this.cached.has(text) ? toneFor(text, this.durationMs) : undefined;
  }

  render(text: string): Promise<Uint8Array> {
    this.rendered.push(text);
    return new Promise((resolve) => setTimeout(() => resolve(toneFor(text, this.durationMs)), this.renderDelayMs));
  }
}

/** 300–3,300 Hz in 20 Hz steps, from a hash of the text. */
export function frequencyFor(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  return 300 + (h % 151) * 20;
}

export function toneFor(text: string, durationMs: number): Uint8Array {
  const n = Math.round((durationMs / 1000) * 8000);
  const f = frequencyFor(text);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * f * i) / 8000));
  return encodeMulaw(pcm);
}
