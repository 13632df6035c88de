import { DeepgramSttProvider, type DeepgramSttOptionsInput, type DeepgramSttStream } from '../../src/speech/deepgram/deepgram-stt';
import type { SttEvent } from '../../src/speech/stt';
import { DeepgramStandIn, type DeepgramStandInOptions } from './deepgram';

/**
 * Jest wiring for tests of DeepgramSttProvider against the stand-in: a fresh stand-in per test,
 * providers whose hooks record what they report, streams closed after each test, and measured
 * figures printed once at the end.
 */
export interface Harness {
  events: SttEvent[];
  connects: Array<[number, string]>;
  reconnects: string[];
  provider: DeepgramSttProvider;
}

export interface DeepgramTestContext {
  readonly standIn: DeepgramStandIn;
  /** Replaces this test's stand-in with one started with `options`. */
  restart(options: Partial<DeepgramStandInOptions>): Promise<void>;
  harness(overrides?: Partial<DeepgramSttOptionsInput>): Harness;
  open(h: Harness, keyterms?: string[]): DeepgramSttStream;
  record(name: string, ms: number): void;
}

export const ofType = <T extends SttEvent['type']>(events: SttEvent[], type: T) =>
  events.filter((e): e is Extract<SttEvent, { type: T }> => e.type === type);

export function useDeepgramStandIn(): DeepgramTestContext {
  let standIn: DeepgramStandIn | null = null;
  const streams: DeepgramSttStream[] = [];
  const figures: Record<string, number[]> = {};

  beforeEach(async () => {
    standIn = await DeepgramStandIn.start();
  });
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.close()));
    await standIn?.close();
  });
  afterAll(() => {
    const summary = Object.entries(figures).map(([k, v]) => `${k}: ${v.map((x) => x.toFixed(1)).join(', ')}`);
    if (summary.length > 0) process.stdout.write(`deepgram figures (ms): ${summary.join('; ')}\n`);
  });

  const context: DeepgramTestContext = {
    get standIn() {
      if (standIn === null) throw new Error('the stand-in starts in beforeEach');
      return standIn;
    },
    async restart(options) {
      await standIn?.close();
      standIn = await DeepgramStandIn.start(options);
    },
    harness(overrides = {}) {
      const h: Harness = { events: [], connects: [], reconnects: [], provider: undefined as unknown as DeepgramSttProvider };
      h.provider = new DeepgramSttProvider({
        apiKey: context.standIn.apiKey,
        baseUrl: context.standIn.url,
        ...overrides,
        hooks: {
          connectSeconds: (s, outcome) => h.connects.push([s, outcome]),
          reconnect: (outcome) => h.reconnects.push(outcome),
        },
      });
      return h;
    },
    open(h, keyterms) {
      const s = h.provider.open('call-1', (event) => h.events.push(event), { keyterms });
      streams.push(s);
      return s;
    },
    record(name, ms) {
      figures[name] = [...(figures[name] ?? []), ms];
    },
  };
  return context;
}
