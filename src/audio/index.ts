export { AudioError, type AudioErrorCode } from './errors';
export {
  createMulawFramer,
  createPcm16Framer,
  FrameAccumulator,
  type FrameAccumulatorOptions,
  MULAW_FRAME_BYTES,
} from './framing';
export {
  COEFFICIENT_BITS,
  designHalfband,
  type HalfbandDesign,
  type HalfbandDesignOptions,
  halfbandResponse,
} from './halfband-design';
export { createHalfbandKernel, type HalfbandKernel, ScalarHalfbandKernel, SimdHalfbandKernel } from './halfband-kernel';
export { HalfbandUpsampler, type InboundUpsampler } from './halfband-upsampler';
export {
  decodeMulaw,
  decodeMulawInto,
  decodeMulawSample,
  encodeMulaw,
  encodeMulawInto,
  encodeMulawSample,
  MULAW_SILENCE,
} from './mulaw';
export { createResampler, StreamingResampler } from './resampler';
export {
  designInboundResampler,
  designOutboundResampler,
  designResampler,
  type ResamplerDesign,
  type ResamplerDesignOptions,
  TELEPHONY_SAMPLE_RATE_HZ,
} from './resampler-design';
export { type PcmAudio, readWav, type WavInfo, writeWavMulaw, writeWavPcm16 } from './wav';
