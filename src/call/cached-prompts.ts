import type { PromptCache } from '../speech/prompt-cache';
import type { PromptSource } from './prompt-source';

export type PromptOrigin = 'recording' | 'memory' | 'disk' | 'fresh';

/**
 * The prompt cache as the call sees it, timing every request (request → audio ready) by where
 * the audio came from, for `bridge_tts_seconds{cache}`.
 */
export class CachedPrompts implements PromptSource {
  constructor(
    private readonly cache: PromptCache,
    private readonly observe: (origin: PromptOrigin, seconds: number) => void,
  ) {}

  get(text: string, recordingPath?: string): Uint8Array | undefined {
    const started = performance.now();
    const audio = this.cache.get(text, recordingPath);
    if (audio) {
      const origin = recordingPath !== undefined && this.cache.hasRecording(recordingPath) ? 'recording' : 'memory';
      this.observe(origin, (performance.now() - started) / 1000);
    }
    return audio;
  }

  /** Text not cached: synthesized for this call, and stored only if it is a static prompt. */
  async render(text: string): Promise<Uint8Array> {
    const started = performance.now();
    const { audio, source } = await this.cache.renderForCall(text);
    this.observe(source, (performance.now() - started) / 1000);
    return audio;
  }
}
