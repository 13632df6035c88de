import { encodeMulaw } from '../../src/audio/mulaw';
import type { SttCheck, SttEvent, SttOpenOptions, SttProvider, SttStream } from '../../src/speech/stt';

/**
 * A caller's spoken answer as the Deepgram stand-in hears it: a burst of tone (it detects speech
 * by energy and answers with the next scripted transcript), as 8 kHz mu-law.
 */
export function spokenBurst(ms = 600, hz = 440, amplitude = 9000): Uint8Array {
  const n = Math.round((ms / 1000) * 8000);
  return encodeMulaw(Int16Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000))));
}

/** Wraps a provider to timestamp every event the bridge receives from it. */
export class TimedStt implements SttProvider {
  readonly events: Array<{ at: number; event: SttEvent }> = [];
  readonly name: string;

  constructor(private readonly inner: SttProvider) {
    this.name = inner.name;
  }

  open(callId: string, onEvent: (event: SttEvent) => void, options?: SttOpenOptions): SttStream {
    return this.inner.open(
      callId,
      (event) => {
        this.events.push({ at: performance.now(), event });
        onEvent(event);
      },
      options,
    );
  }

  check(): Promise<SttCheck> {
    return this.inner.check();
  }
}
