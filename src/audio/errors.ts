/** Stable codes for everything the audio module can reject. Branch on `code`, never on text. */
export type AudioErrorCode =
  | 'AUDIO_INVALID_OPTIONS'
  | 'AUDIO_OUTPUT_TOO_SMALL'
  | 'AUDIO_UNSUPPORTED_WAV'
  | 'AUDIO_INVALID_WAV';

export class AudioError extends Error {
  readonly code: AudioErrorCode;

  constructor(code: AudioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AudioError';
    this.code = code;
  }
}
