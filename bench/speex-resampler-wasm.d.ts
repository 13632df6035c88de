/** The parts of the Emscripten build of `@echogarden/speex-resampler-wasm` the bench uses (it ships no types). */
declare module '@echogarden/speex-resampler-wasm/simd' {
  import type { SpeexModule } from './speex';
  const factory: () => Promise<SpeexModule>;
  export default factory;
}
