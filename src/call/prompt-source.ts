/**
 * Where the session gets a prompt's audio (8 kHz μ-law): a clinic's recording or cached speech
 * at once, or a synthesis that runs off the event loop.
 */
export interface PromptSource {
  /** Audio available right now: the recording at `recordingPath` if loaded, else cached speech for `text`. */
  get(text: string, recordingPath?: string): Uint8Array | undefined;
  /**
   * Synthesizes text that is not cached (read-backs, `{custom.*}` prompts); never blocks the
   * event loop. Such text is health data: it is kept for no other call, in memory or on disk.
   */
  render(text: string): Promise<Uint8Array>;
}
