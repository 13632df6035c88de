import { detectIntent, parseYesNo, tokenizeArabic } from './arabic';
import { isEnabled, raisedFlags } from './conditions';
import { type Interpretation, interpretDigits, interpretKey, interpretSpeech } from './interpret';
import type { AnswerValue, Item, Questionnaire, RedFlagAction } from './schema';
import { expectedWords, keypadHint, sayItem, sayOutOfRange, sayPrompt, spokenAnswer } from './speech-text';
import type { AnswerRecord, Candidate, CallStatus, Effect, MachineEvent, MachineState, SayEffect, Transition } from './types';

/**
 * The questionnaire as a pure transition: `(state, event) → { state, effects }`.
 * No timers, sockets or audio: the call layer turns effects into speech and timers and feeds
 * back what happened as events.
 */
export function initialState(): MachineState {
  return {
    phase: 'not_started',
    index: 0,
    failures: 0,
    attempts: 0,
    keypadOffered: false,
    digits: '',
    pending: null,
    speech: true,
    speaking: false,
    interruptible: true,
    context: {},
    result: { status: 'in_progress', answers: {}, flags: [] },
  };
}

export function transition(q: Questionnaire, state: MachineState, event: MachineEvent): Transition {
  if (state.phase === 'ended') return { state, effects: [] };
  const run = new Run(q, state);
  run.handle(event);
  return run.finish();
}

/** One transition's working copy of the state and the effects it emits. */
class Run {
  private s: MachineState;
  private readonly effects: Effect[] = [];

  constructor(
    private readonly q: Questionnaire,
    state: MachineState,
  ) {
    this.s = { ...state, result: { ...state.result, answers: { ...state.result.answers }, flags: [...state.result.flags] } };
  }

  finish(): Transition {
    const says = this.effects.filter((e): e is SayEffect => e.type === 'say');
    if (says.length > 0) {
      this.s.speaking = true;
      this.s.interruptible = says.every((e) => e.interruptible);
    }
    return { state: this.s, effects: this.effects };
  }

  handle(event: MachineEvent): void {
    if (this.s.phase === 'not_started' && event.type !== 'call_started' && event.type !== 'hangup') return;
    switch (event.type) {
      case 'call_started':
        return this.start(event.speech, event.context ?? {});
      case 'utterance':
        return this.utterance(event.text, event.confidence, event.at);
      case 'dtmf':
        return this.key(event.digit, event.at);
      case 'no_input':
        return this.noInput(event.at);
      case 'speech_started':
        if (this.s.speaking && this.s.interruptible) {
          this.s.speaking = false;
          this.effects.push({ type: 'interrupt' });
        }
        return;
      case 'prompt_finished':
        this.s.speaking = false;
        return;
      case 'speech_availability':
        return this.speechAvailability(event.available);
      case 'hangup':
        return this.hangup(event.at);
      case 'voicemail':
        if (this.s.phase === 'ended') return;
        // No questions to a machine: the clinic's message (who called, how to call back), if any.
        if (this.q.prompts.voicemail && event.leaveMessage !== false) this.say(sayPrompt(this.q, 'voicemail', this.vars, false));
        return this.end('stopped');
      default: {
        const unknown: never = event;
        throw new Error(`unhandled machine event ${JSON.stringify(unknown)}`);
      }
    }
  }

  private get item(): Item {
    const item = this.q.items[this.s.index];
    if (!item) throw new Error(`no item at index ${this.s.index}`);
    return item;
  }

  private get vars(): Record<string, string> {
    const vars: Record<string, string> = { emergency_number: this.q.settings.emergency_number };
    for (const [k, v] of Object.entries(this.s.context)) vars[`custom.${k}`] = v;
    return vars;
  }

  private say(...says: SayEffect[]): void {
    this.effects.push(...says);
  }

  private start(speech: boolean, context: Readonly<Record<string, string>>): void {
    if (this.s.phase !== 'not_started') return;
    this.s.speech = speech;
    this.s.context = context;
    this.say(sayPrompt(this.q, 'greeting', this.vars));
    if (!speech) this.say(sayPrompt(this.q, 'keypad_only', this.vars));
    this.advance(0);
  }

  /** Moves to the first askable item at or after `from`; display items are spoken on the way. */
  private advance(from: number): void {
    for (let i = from; i < this.q.items.length; i++) {
      const item = this.q.items[i]!;
      if (!isEnabled(item, this.s.result.answers)) continue;
      if (item.type === 'display') {
        this.say(sayItem(item, this.vars));
        continue;
      }
      // Free text cannot be typed on a keypad: without speech recognition it is left unanswered.
      if (item.type === 'text' && !this.s.speech) continue;
      Object.assign(this.s, { phase: 'asking', index: i, failures: 0, attempts: 0, keypadOffered: false, digits: '', pending: null });
      this.ask();
      return;
    }
    this.say(sayPrompt(this.q, 'goodbye', this.vars));
    this.end('completed');
  }

  /** Asks the current item (or its confirmation), with the keypad hint where it applies. */
  private ask(): void {
    const item = this.item;
    const keypad = !this.s.speech || this.s.keypadOffered;
    if (this.s.phase === 'confirming' && this.s.pending) {
      const pending = this.s.pending;
      const answer = spokenAnswer(this.q, item, pending.value);
      const heard = item.type === 'boolean' && pending.method === 'voice' && pending.transcript ? saidOtherwiseFirst(pending.transcript, pending.value === true) : null;
      // "لا بس احس بضيق في صدري" read back as "you said yes" would tell the caller what they did not say: read back their words and the meaning taken.
      if (heard) this.say({ ...sayPrompt(this.q, 'confirm_meaning', { ...this.vars, answer, heard }), key: `confirm:${item.id}` });
      else this.say({ ...sayPrompt(this.q, 'confirm', { ...this.vars, answer }), key: `confirm:${item.id}` });
      if (keypad) this.say({ ...sayPrompt(this.q, 'keypad_boolean', this.vars), key: 'keypad:confirm' });
      this.listen('confirmation', keypad, [...expectedWords(this.q, { ...item, type: 'boolean' })]);
      return;
    }
    this.say(sayItem(item, this.vars));
    if (keypad) this.say(...keypadHint(this.q, item, this.vars));
    this.listen(item.type, keypad, expectedWords(this.q, item));
  }

  private listen(expect: Item['type'] | 'confirmation', keypad: boolean, hints: string[]): void {
    this.effects.push({ type: 'listen', item: this.item.id, expect, timeoutMs: this.q.settings.no_input_ms, keypad, hints });
  }

  private utterance(text: string, confidence: number, at: number): void {
    const intent = detectIntent(text);
    if (intent === 'repeat') return this.ask();
    if (intent === 'human') return this.transferToHuman();
    if (intent === 'stop') {
      this.say(sayPrompt(this.q, 'opted_out', this.vars));
      return this.end('opted_out');
    }
    const candidateOf = (value: Candidate['value']): Candidate => ({ value, method: 'voice', transcript: text, confidence });
    if (this.s.phase === 'confirming') return this.confirmation(interpretSpeech({ ...this.item, type: 'boolean' }, text), text, candidateOf, at);
    this.consider(interpretSpeech(this.item, text), candidateOf, at);
  }

  private key(digit: string, at: number): void {
    const item = this.item;
    const candidateOf = (value: Candidate['value']): Candidate => ({ value, method: 'dtmf', transcript: null, confidence: 1 });
    if (digit === '*' && this.s.digits === '') return this.ask();
    if (this.s.phase === 'confirming') return this.confirmation(interpretKey({ ...item, type: 'boolean' }, digit), null, candidateOf, at);
    if (item.type === 'integer' || item.type === 'decimal') {
      if (digit !== '#') {
        this.s.digits += digit;
        return;
      }
      const typed = this.s.digits;
      this.s.digits = '';
      return this.consider(typed ? interpretDigits(item, typed) : { kind: 'no_match' }, candidateOf, at);
    }
    this.consider(interpretKey(item, digit), candidateOf, at);
  }

  private noInput(at: number): void {
    const item = this.item;
    if (this.s.phase === 'asking' && this.s.digits !== '' && (item.type === 'integer' || item.type === 'decimal')) {
      const typed = this.s.digits;
      this.s.digits = '';
      return this.consider(interpretDigits(item, typed), (value) => ({ value, method: 'dtmf', transcript: null, confidence: 1 }), at);
    }
    // Saying nothing to an optional free-text question ("anything else?") is an answer: skip it.
    if (this.s.phase === 'asking' && item.type === 'text' && !item.required) return this.advance(this.s.index + 1);
    this.fail('no_input');
  }

  private consider(meaning: Interpretation, candidateOf: (value: Candidate['value']) => Candidate, at: number): void {
    switch (meaning.kind) {
      case 'no_match':
        return this.fail('no_match');
      case 'uncertain':
        return this.fail('clarify');
      case 'out_of_range':
        this.s.attempts++;
        return this.fail('out_of_range');
      case 'value': {
        this.s.attempts++;
        const candidate = candidateOf(meaning.value);
        if (this.needsConfirmation(candidate)) {
          this.s.phase = 'confirming';
          this.s.pending = candidate;
          return this.ask();
        }
        return this.accept(candidate, at);
      }
    }
  }

  private needsConfirmation(c: Candidate): boolean {
    const item = this.item;
    if (raisedFlags(item, c.value).length > 0) return true;
    if (item.confirm === 'always') return true;
    if (item.confirm === 'never') return false;
    // A keypad number typed without its decimal point was reinterpreted: read it back.
    if (c.method === 'dtmf' && item.type === 'decimal') return true;
    return c.confidence < this.q.settings.min_confidence;
  }

  private confirmation(
    meaning: Interpretation,
    transcript: string | null,
    candidateOf: (value: Candidate['value']) => Candidate,
    at: number,
  ): void {
    const pending = this.s.pending;
    if (!pending) return this.fail('no_match');
    if (meaning.kind === 'value' && meaning.value === true) return this.accept(pending, at);
    if (meaning.kind === 'value' && meaning.value === false) {
      this.s.phase = 'asking';
      this.s.pending = null;
      // "No, thirty-nine": a correction in the same breath is taken as the new answer.
      const correction = transcript && this.item.type !== 'boolean' ? interpretSpeech(this.item, transcript) : null;
      if (correction?.kind === 'value' && correction.value !== pending.value) return this.consider(correction, candidateOf, at);
      this.s.failures++;
      return this.retry('rejected');
    }
    // Neither yes nor no, but a fresh answer ("thirty-nine"): take it as a correction.
    if (meaning.kind !== 'uncertain' && transcript && this.item.type !== 'boolean') {
      const fresh = interpretSpeech(this.item, transcript);
      if (fresh.kind === 'value' && fresh.value !== pending.value) {
        this.s.phase = 'asking';
        this.s.pending = null;
        return this.consider(fresh, candidateOf, at);
      }
    }
    this.fail(meaning.kind === 'uncertain' ? 'clarify' : 'no_match');
  }

  /** Silence or a not-understood answer: reprompt, then offer the keypad, then skip or end. */
  private fail(reason: Exclude<RetryReason, 'rejected'>): void {
    this.s.failures++;
    this.retry(reason);
  }

  /**
   * Up to max_reprompts reprompts; then, if speech is on, one more with the keypad offered; then
   * an optional item is skipped and a required one ends the call politely.
   */
  private retry(reason: RetryReason): void {
    const max = this.q.settings.max_reprompts;
    const item = this.item;
    if (this.s.failures > max + (this.s.speech ? 1 : 0)) {
      if (!item.required) return this.advance(this.s.index + 1);
      this.say(sayPrompt(this.q, 'unable_to_continue', this.vars));
      return this.end('stopped');
    }
    if (reason === 'out_of_range') this.say(sayOutOfRange(this.q, item, this.vars));
    else if (reason !== 'rejected') this.say(sayPrompt(this.q, reason, this.vars));
    if (this.s.failures > max && this.s.speech && !this.s.keypadOffered) {
      this.s.keypadOffered = true;
      this.say(sayPrompt(this.q, 'dtmf_hint', this.vars));
    }
    this.ask();
  }

  private accept(c: Candidate, at: number): void {
    const item = this.item;
    const answeredAt = this.record(c, at);
    for (const flag of raisedFlags(item, c.value)) {
      this.raise(flag.action, c.value, answeredAt);
      if (flag.action === 'emergency') {
        this.say(sayPrompt(this.q, 'emergency', this.vars, false));
        return this.end('escalated');
      }
      if (flag.action === 'transfer') return this.transferToHuman();
    }
    if (item.opt_out_when && raisedFlags({ ...item, red_flag: [{ when: item.opt_out_when, action: 'flag' }] }, c.value).length) {
      this.say(sayPrompt(this.q, 'opted_out', this.vars));
      return this.end('opted_out');
    }
    this.advance(this.s.index + 1);
  }

  /** Keeps the answer in the result and tells the call layer to store it now. */
  private record(c: Candidate, at: number, confirmed?: false): string {
    const item = this.item;
    const answeredAt = new Date(at).toISOString();
    const answer: AnswerRecord = { ...c, attempts: Math.max(this.s.attempts, 1), answeredAt };
    if (confirmed === false) answer.confirmed = false;
    this.s.result.answers[item.id] = answer;
    this.s.pending = null;
    this.effects.push({ type: 'record', item: item.id, answer });
    return answeredAt;
  }

  private raise(action: RedFlagAction, value: AnswerValue, raisedAt: string): void {
    const item = this.item.id;
    this.s.result.flags.push({ item, action, value, raisedAt });
    this.effects.push({ type: 'escalate', kind: action, item, value });
  }

  private transferToHuman(): void {
    const number = this.q.settings.transfer_number;
    if (!number) {
      this.say(sayPrompt(this.q, 'transfer_unavailable', this.vars));
      return this.ask();
    }
    this.say(sayPrompt(this.q, 'transfer', this.vars, false));
    this.effects.push({ type: 'transfer', number });
    this.end('transferred');
  }

  private speechAvailability(available: boolean): void {
    if (available === this.s.speech) return;
    this.s.speech = available;
    if (available) return;
    this.say(sayPrompt(this.q, 'keypad_only', this.vars));
    if (this.item.type === 'text') return this.advance(this.s.index + 1);
    this.ask();
  }

  /**
   * The caller hung up. An answer still awaiting its read-back is kept, marked unconfirmed, and
   * its red flags are raised all the same: a clinic must see "chest pain: yes" even unconfirmed.
   */
  private hangup(at: number): void {
    const pending = this.s.pending;
    if (this.s.phase === 'confirming' && pending) {
      const answeredAt = this.record(pending, at, false);
      for (const flag of raisedFlags(this.item, pending.value)) this.raise(flag.action, pending.value, answeredAt);
    }
    this.end('stopped');
  }

  private end(status: CallStatus): void {
    this.s.phase = 'ended';
    this.s.result.status = status;
    this.effects.push({ type: 'end', status, result: this.s.result });
  }
}

type RetryReason = 'no_input' | 'no_match' | 'clarify' | 'out_of_range' | 'rejected';


/**
 * The caller's words (at most 12, as they said them) when their first word says the opposite of
 * the answer taken from the whole sentence; null when the first word agrees or is not yes/no.
 */
function saidOtherwiseFirst(transcript: string, value: boolean): string | null {
  const [first] = tokenizeArabic(transcript);
  if (first === undefined) return null;
  const lead = parseYesNo(first);
  if (lead !== (value ? 'no' : 'yes')) return null;
  return transcript.trim().split(/\s+/).slice(0, 12).join(' ');
}
