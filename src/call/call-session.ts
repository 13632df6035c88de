import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { InboundUpsampler } from '../audio/halfband-upsampler';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { LoadedQuestionnaire } from '../questionnaire/load';
import { initialState, transition } from '../questionnaire/machine';
import type { Effect, MachineEvent, MachineState } from '../questionnaire/types';
import type { SttEvent, SttStream } from '../speech/stt';
import type { OutboundCommand, Provider } from '../telephony/events';
import type { CallEvent, CallRecord } from './call-store';
import { Playout } from './playout';
import type { PlayoutClock } from './playout-clock';
import type { PromptSource } from './prompt-source';
import { SpeechInput, type SpeechInputOptions } from './speech-input';

/** The provider's socket as the session sees it: commands out, and a way to end the stream. */
export interface MediaLink {
  send(command: OutboundCommand): void;
  close(code: number, reason: string): void;
}

export interface CallSessionDeps {
  provider: Provider;
  callId: string;
  questionnaire: LoadedQuestionnaire;
  context: Readonly<Record<string, string>>;
  /**
   * A call we placed: its patient and prompt variables, read from the database before the call
   * begins (the greeting may name the patient). Rejected: the call runs without them.
   */
  prepare?: Promise<{ context: Readonly<Record<string, string>>; patientReference: string | null; direction: 'outbound' | 'inbound'; attemptId: string | null; voicemail?: 'message' | 'hang_up' }>;
  prompts: PromptSource;
  /** Opens the call's recognition stream, or null: then every question is answered on the keypad. */
  speech: ({ open(onEvent: (event: SttEvent) => void): SttStream } & SpeechInputOptions) | null;
  /** μ-law 8 kHz → PCM16 16 kHz, one per call (it keeps state across frames). */
  upsampler: InboundUpsampler;
  /** Where the call's state goes after every change; resolves once it is committed (CallRecorder). */
  recorder: { save(record: CallRecord, events?: CallEvent[]): Promise<void> };
  metrics: Metrics;
  logger: Logger;
  /** LOG_HEALTH_DATA: answer values and transcripts go to debug logs only when true; a log level alone never adds them. */
  logHealthData?: boolean;
  clock: PlayoutClock;
  leadMs: number;
  /** Prompt audio per outbound message, in ms (whole 20 ms frames; default 20). */
  frameMs?: number;
  /** Send a frame this early rather than a clock tick late. */
  earlyMs?: number;
  now?: () => number;
  onEnded?: (session: CallSession) => void;
}

const MAX_FRAME_BYTES = 8192;
/**
 * How long the next question waits for the answer before it to be committed. Longer, and a slow
 * disk would be dead air on the line; the write goes on retrying after it.
 */
export const COMMIT_WAIT_MS = 500;

/**
 * One phone call: the provider's stream in, the questionnaire machine in the middle, paced audio
 * out, every answer stored as it is given. Protocol and vendor details stay outside.
 */
export class CallSession {
  readonly callId: string;
  private link: MediaLink;
  private state: MachineState = initialState();
  private readonly playout: Playout;
  private readonly log: Logger;
  private readonly record: CallRecord;
  private noInputTimer: NodeJS.Timeout | null = null;
  private listenTimeoutMs = 6000;
  private listenGeneration = 0;
  private replyPending: { sinceMs: number; input: 'dtmf' | 'voice' } | null = null;
  private transferTo: string | null = null;
  private finished = false;
  /** start() has run its course (with an outbound call, after its attempt was read). */
  private begun = false;
  /** The caller's side is already gone: nothing more is sent. */
  private streamGone = false;
  private lastSays: Extract<Effect, { type: 'say' }>[] = [];
  /** This call's own synthesized prompts (read-backs, `{custom.*}`), for repeats; never shared with other calls. */
  private readonly callPrompts = new Map<string, Promise<Uint8Array>>();
  /** Prompts queued now wait for this: the commit of the answer just given (bounded by COMMIT_WAIT_MS). */
  private promptGate: Promise<void> | null = null;
  /** Timeline events since the last save, handed over with the next one. */
  private events: CallEvent[] = [];
  private stt: SttStream | null = null;
  private speechInput: SpeechInput | null = null;
  /** A listen is active: the no-input timer runs (or is paused while the caller speaks). */
  private listening = false;
  /** The caller has the floor (from speech or words until the utterance ends): no no-input timer. */
  private callerTalking = false;
  // Inbound scratch buffers, reused for every frame. Reusing pcm16k is safe: SttStream.sendAudio
  // must not keep the array (the Deepgram stream copies it; its tests poison a reused buffer).
  private readonly mulaw = Buffer.alloc(MAX_FRAME_BYTES);
  private readonly pcm16k: Int16Array;
  /** pcm16k's first 20 ms (320 samples): the view almost every frame hands on, made once. */
  private readonly pcm16kFrame: Int16Array;

  constructor(
    link: MediaLink,
    private readonly deps: CallSessionDeps,
  ) {
    this.link = link;
    this.callId = deps.callId;
    this.log = deps.logger;
    this.pcm16k = new Int16Array(deps.upsampler.maxOutputLength(MAX_FRAME_BYTES));
    this.pcm16kFrame = this.pcm16k.subarray(0, deps.upsampler.maxOutputLength(160));
    this.playout = new Playout(
      {
        sendFrame: (frame, payload) => this.link.send({ type: 'play', audio: frame, payload }),
        sendMark: (name) => this.link.send({ type: 'mark', name }),
        sendClear: () => this.link.send({ type: 'clear' }),
      },
      deps.clock,
      {
        leadMs: deps.leadMs,
        ...(deps.frameMs ? { frameMs: deps.frameMs } : {}),
        earlyMs: deps.earlyMs ?? 0,
        onLateness: (s) => deps.metrics.playoutLateness.observe(s),
        onSegmentStart: () => this.observeReply(),
        onFailure: (error) => this.fail(error, 'playout'),
      },
    );
    const def = deps.questionnaire.definition;
    this.record = {
      id: randomUUID(),
      provider: deps.provider,
      providerCallId: deps.callId,
      questionnaire: def.id,
      questionnaireVersion: def.version,
      status: 'in_progress',
      startedAt: new Date(this.now()).toISOString(),
      endedAt: null,
      answers: {},
      flags: [],
    };
  }

  get provider(): Provider {
    return this.deps.provider;
  }

  /** A campaign may ask to hang up on answering machines rather than leave the voicemail message. */
  private leaveVoicemail = true;

  get ended(): boolean {
    return this.finished;
  }

  get status(): CallRecord['status'] {
    return this.record.status;
  }

  get transferNumber(): string | null {
    return this.transferTo;
  }

  start(): void {
    if (!this.deps.prepare) return this.begin(this.deps.context);
    this.deps.prepare.then(
      (prepared) => {
        this.record.direction = prepared.direction;
        this.record.patientReference = prepared.patientReference;
        this.record.attemptId = prepared.attemptId;
        this.leaveVoicemail = prepared.voicemail !== 'hang_up';
        this.begin(prepared.context);
      },
      (error: unknown) => {
        this.log.error({ err: error }, 'the call attempt could not be read: the call runs without its patient variables');
        this.begin(this.deps.context);
      },
    );
  }

  private begin(context: Readonly<Record<string, string>>): void {
    if (this.finished) return; // the caller hung up while the attempt was read
    this.begun = true;
    this.deps.metrics.callsActive.inc({ provider: this.deps.provider });
    const speech = this.deps.speech;
    if (speech) {
      this.speechInput = new SpeechInput(this.speechHooks(), speech);
      // Opened now, not at first speech: the caller may answer before the greeting ends.
      this.stt = speech.open((event) => this.onSpeechEvent(event));
    }
    this.log.info({ questionnaire: this.record.questionnaire, speech: speech !== null }, 'call started');
    this.event('started', { questionnaire: this.record.questionnaire, version: this.record.questionnaireVersion, speech: speech !== null });
    this.persist();
    this.dispatch({ type: 'call_started', at: this.now(), speech: speech !== null, context });
  }

  /** A second stream for the same call takes over: the old socket is closed, never two voices. */
  replaceLink(link: MediaLink): void {
    const old = this.link;
    this.link = link;
    old.close(1000, 'replaced by a newer stream for this call');
    this.playout.clear();
    this.log.warn('a second stream for this call took over; repeating the last prompt');
    this.event('stream_replaced');
    for (const say of this.lastSays) this.enqueueSay(say);
  }

  /**
   * One inbound media payload (base64 μ-law 8 kHz): decode and upsample (one pass), hand to
   * recognition. Without recognition the audio has no listener, so it is not transcoded at all
   * (measured: upsampling was 28% of the bridge's CPU at 200 keypad calls).
   */
  onAudio(payload: string): void {
    const stt = this.stt;
    if (!stt) return;
    const bytes = this.mulaw.write(payload, 'base64');
    if (bytes === 0) return;
    const count = this.deps.upsampler.processMulawInto(this.mulaw, this.pcm16k, bytes);
    const pcm16k = count === this.pcm16kFrame.length ? this.pcm16kFrame : this.pcm16k.subarray(0, count);
    this.speechInput?.onAudio(pcm16k);
    stt.sendAudio(pcm16k);
  }

  onDtmf(digit: string, receivedMs: number): void {
    this.event('input', { method: 'dtmf' });
    // A key pressed over a prompt interrupts it, as callers expect of any phone menu.
    if (this.state.speaking && this.state.interruptible) this.playout.clear();
    this.dispatch({ type: 'dtmf', at: this.now(), digit }, { sinceMs: receivedMs, input: 'dtmf' });
  }

  onUtterance(text: string, confidence: number, receivedMs: number): void {
    this.event('input', { method: 'voice', confidence });
    this.dispatch({ type: 'utterance', at: this.now(), text, confidence }, { sinceMs: receivedMs, input: 'voice' });
  }

  onMark(name: string): void {
    this.playout.onMark(name);
  }

  /**
   * Answering-machine detection says a machine took the call and its beep has sounded: no
   * questions; the questionnaire's voicemail message (if it has one, and the campaign did not ask
   * to hang up) is left, then the call ends.
   */
  onVoicemail(): void {
    if (this.finished || !this.begun) return;
    this.event('voicemail');
    this.playout.clear();
    this.dispatch({ type: 'voicemail', at: this.now(), leaveMessage: this.leaveVoicemail });
  }

  /** The provider said stop, or the socket closed: the caller is gone. */
  onStreamEnded(): void {
    if (this.finished) return;
    this.streamGone = true;
    this.playout.close();
    if (this.state.phase !== 'ended') this.dispatch({ type: 'hangup', at: this.now() });
    this.finish();
  }

  private dispatch(event: MachineEvent, input?: { sinceMs: number; input: 'dtmf' | 'voice' }): void {
    if (this.finished) return;
    const { state, effects } = transition(this.deps.questionnaire.definition, this.state, event);
    this.state = state;
    if (effects.length === 0) {
      // A caller typing a number is not silent: each key restarts the no-input timer.
      if (event.type === 'dtmf' && this.noInputTimer) this.startNoInput();
      return;
    }
    this.cancelNoInput();
    const says = effects.filter((e): e is Extract<Effect, { type: 'say' }> => e.type === 'say');
    if (says.length > 0) {
      this.lastSays = says;
      if (input) this.replyPending = input;
    }
    for (const effect of effects) this.apply(effect);
  }

  private apply(effect: Effect): void {
    switch (effect.type) {
      case 'say':
        return this.enqueueSay(effect);
      case 'listen': {
        this.listening = false;
        const generation = ++this.listenGeneration;
        this.playout.whenDrained(() => {
          if (generation !== this.listenGeneration || this.finished) return;
          this.dispatch({ type: 'prompt_finished', at: this.now() });
          this.listenTimeoutMs = effect.timeoutMs;
          this.listening = true;
          // A barge-in clears the prompt and lands here while the caller is still talking.
          if (!this.callerTalking) this.startNoInput();
        });
        return;
      }
      case 'interrupt':
        this.deps.metrics.bargeIns.inc({ provider: this.deps.provider });
        this.event('barge_in');
        this.log.debug('caller spoke over the prompt: cleared');
        return this.playout.clear();
      case 'record': {
        const { item, answer } = effect;
        this.record.answers[item] = answer;
        this.event('answer', { item, method: answer.method, attempts: answer.attempts });
        if (this.deps.logHealthData) this.log.debug({ item, value: answer.value, transcript: answer.transcript }, 'answer detail');
        const queued = performance.now();
        return this.holdPromptsUntil(this.persist(), item, () =>
          this.log.info({ item, method: answer.method, attempts: answer.attempts, commitMs: Math.round(performance.now() - queued) }, 'answer recorded'),
        );
      }
      case 'escalate':
        this.deps.metrics.redFlags.inc({ action: effect.kind });
        this.log.info({ action: effect.kind }, 'red flag raised');
        if (this.deps.logHealthData) this.log.debug({ item: effect.item, value: effect.value }, 'red flag detail');
        this.record.flags = [...this.state.result.flags];
        this.event('flag', { item: effect.item, action: effect.kind });
        // A nurse acts on flags: the emergency message waits for it to be stored, like an answer.
        return this.holdPromptsUntil(this.persist(), effect.item, () => this.log.info({ item: effect.item, action: effect.kind }, 'red flag recorded'));
      case 'transfer':
        this.transferTo = effect.number;
        this.record.transferredTo = effect.number;
        this.event('transfer');
        return;
      case 'end':
        this.record.status = effect.status;
        this.record.flags = [...effect.result.flags];
        this.persist();
        // Let the caller hear the last prompt, then end the stream.
        this.playout.whenDrained(() => this.hangUp());
        return;
      default: {
        const unknown: never = effect;
        throw new Error(`unhandled effect ${JSON.stringify(unknown)}`);
      }
    }
  }

  private enqueueSay(say: Extract<Effect, { type: 'say' }>): void {
    const recording = say.audio ? path.resolve(path.dirname(this.deps.questionnaire.file), say.audio) : undefined;
    const audio = this.deps.prompts.get(say.text, recording) ?? this.renderForCall(say.text);
    this.event('prompt', { key: say.key });
    const gate = this.promptGate;
    this.playout.enqueue(gate ? gate.then(() => audio) : audio);
  }

  /**
   * The durability rule: what the machine says next (the next question, a read-back, the
   * emergency message) is heard only once `committed` has resolved, or after COMMIT_WAIT_MS,
   * whichever is first. So a caller who has heard the next question has had the answer before it
   * stored, unless the store was slow, which is logged and counted; the write keeps retrying.
   */
  private holdPromptsUntil(committed: Promise<void>, item: string, onCommitted: () => void): void {
    let timer: NodeJS.Timeout | undefined;
    const gate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.deps.metrics.storeSlowCommits.inc();
        this.log.warn({ item, waitedMs: COMMIT_WAIT_MS }, 'answer not yet committed: going on with the call; the write is retried until it lands');
        resolve();
      }, COMMIT_WAIT_MS);
      committed.then(
        () => {
          onCommitted();
          resolve();
        },
        () => resolve(), // given up at shutdown; the recorder has logged the loss
      );
    }).finally(() => {
      clearTimeout(timer);
      if (this.promptGate === gate) this.promptGate = null;
    });
    this.promptGate = gate;
  }

  private renderForCall(text: string): Promise<Uint8Array> {
    let audio = this.callPrompts.get(text);
    if (!audio) {
      audio = this.deps.prompts.render(text);
      this.callPrompts.set(text, audio);
      audio.catch(() => this.callPrompts.delete(text));
    }
    return audio;
  }

  private hangUp(): void {
    if (this.finished) return;
    if (!this.streamGone) this.link.send(this.transferTo ? { type: 'transfer', number: this.transferTo } : { type: 'hangup' });
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.callPrompts.clear();
    this.cancelNoInput();
    this.playout.close();
    this.speechInput?.close();
    if (this.record.status === 'in_progress') this.record.status = 'stopped';
    this.record.endedAt = new Date(this.now()).toISOString();
    this.event('ended', { status: this.record.status });
    this.persist();
    this.stt?.close().catch((error: unknown) => this.log.warn({ err: error }, 'recognition stream did not close cleanly'));
    if (this.begun) this.deps.metrics.callsActive.dec({ provider: this.deps.provider });
    this.deps.metrics.callsTotal.inc({ provider: this.deps.provider, status: this.record.status });
    this.log.info({ status: this.record.status, answers: Object.keys(this.record.answers).length }, 'call ended');
    this.deps.onEnded?.(this);
  }

  /** Hands the call's whole state (and the timeline since the last save) to the recorder; resolves on commit. */
  private persist(): Promise<void> {
    const snapshot: CallRecord = { ...this.record, answers: { ...this.record.answers }, flags: [...this.record.flags] };
    const events = this.events;
    this.events = [];
    const committed = this.deps.recorder.save(snapshot, events);
    committed.catch(() => undefined); // the recorder retries failures itself and logs a loss at shutdown
    return committed;
  }

  private event(type: CallEvent['type'], detail?: CallEvent['detail']): void {
    this.events.push(detail ? { at: new Date(this.now()).toISOString(), type, detail } : { at: new Date(this.now()).toISOString(), type });
  }

  private observeReply(): void {
    if (!this.replyPending) return;
    const seconds = (performance.now() - this.replyPending.sinceMs) / 1000;
    this.deps.metrics.replyLatency.observe({ provider: this.deps.provider, input: this.replyPending.input }, seconds);
    this.replyPending = null;
  }

  /** A recognition event; one arriving after the call ended (the reply to Finalize) is dropped. */
  private onSpeechEvent(event: SttEvent): void {
    if (this.finished) return;
    try {
      this.speechInput?.onEvent(event, performance.now());
    } catch (error) {
      this.fail(error, 'speech');
    }
  }

  /**
   * Runs a callback that arrives from outside a socket message (a timer, the recogniser's
   * events): a throw ends this call with 1011 and never reaches the process.
   */
  private guarded(scope: 'timer', callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.fail(error, scope);
    }
  }

  /** A bug while handling this call: its answers are saved, its stream closed with 1011, other calls go on. */
  private fail(error: unknown, scope: 'timer' | 'speech' | 'playout'): void {
    this.deps.metrics.internalErrors.inc({ scope });
    this.log.error({ err: error, scope }, 'internal error in a call; ending it with 1011 (answers given so far are saved)');
    this.event('internal_error', { scope });
    if (this.finished) return;
    try {
      this.playout.close();
      if (!this.streamGone) this.link.close(1011, 'internal error');
    } finally {
      this.streamGone = true;
      this.finish();
    }
  }

  private speechHooks(): ConstructorParameters<typeof SpeechInput>[0] {
    return {
      utterance: (text, confidence, receivedMs) => {
        this.callerTalking = false;
        this.onUtterance(text, confidence, receivedMs);
      },
      speaking: () => {
        // The caller is talking: no reprompt over them, and an interruptible prompt stops.
        this.callerTalking = true;
        this.cancelNoInput();
        this.dispatch({ type: 'speech_started', at: this.now() });
      },
      heard: () => {
        this.callerTalking = true;
        this.cancelNoInput();
      },
      quiet: () =>
        this.guarded('timer', () => {
          this.callerTalking = false;
          // Resumes a timer the caller's speech paused; noise that never paused it must not restart it.
          if (this.listening && !this.finished && !this.noInputTimer) this.startNoInput();
        }),
      // Also called from SpeechInput's own timers, outside any guarded handler.
      availability: (available, reason) =>
        this.guarded('timer', () => {
          if (!available) {
            // Without recognition no utterance will end the caller's turn.
            this.callerTalking = false;
            this.deps.metrics.sttDegradedCalls.inc();
          }
          this.log.warn({ available, reason }, available ? 'speech recognition is back: voice answers again' : 'speech recognition unavailable: keypad answers');
          this.event(available ? 'speech_available' : 'speech_unavailable', { reason });
          this.dispatch({ type: 'speech_availability', at: this.now(), available });
        }),
      finalLatency: (seconds) => this.deps.metrics.sttFinalLatency.observe(seconds),
    };
  }

  private startNoInput(): void {
    this.cancelNoInput();
    this.noInputTimer = setTimeout(() => {
      this.noInputTimer = null;
      this.guarded('timer', () => {
        this.event('no_input');
        this.dispatch({ type: 'no_input', at: this.now() });
      });
    }, this.listenTimeoutMs);
  }

  private cancelNoInput(): void {
    if (this.noInputTimer) clearTimeout(this.noInputTimer);
    this.noInputTimer = null;
  }

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }
}
