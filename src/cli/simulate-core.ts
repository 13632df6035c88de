import { initialState, transition } from '../questionnaire/machine';
import type { AnswerValue, Questionnaire } from '../questionnaire/schema';
import type { CallStatus, Effect, MachineEvent, MachineState } from '../questionnaire/types';

/** One line of the simulator's JSON output (the format is fixed by the simulate CLI's contract). */
export type SimulationLine =
  | { type: 'say'; text: string }
  | { type: 'answer'; item: string; value: AnswerValue; method: 'voice' | 'dtmf' }
  | { type: 'escalate'; kind: 'emergency' | 'transfer' | 'flag'; item: string }
  | { type: 'end'; status: CallStatus; answers: Record<string, AnswerValue> };

/** Human mode also shows what the caller did. */
export type TranscriptLine = SimulationLine | { type: 'caller'; text: string };

/**
 * Turns one line of caller input into machine events: text is a final transcript (confidence 1),
 * `#` then keys is keypad input (`#1`, `#385#`), an empty line is silence.
 */
export function eventsForLine(line: string, at: number): MachineEvent[] {
  if (line.trim() === '') return [{ type: 'no_input', at }];
  if (line.startsWith('#')) {
    return [...line.slice(1)].filter((key) => /[0-9*#]/.test(key)).map((digit) => ({ type: 'dtmf', at, digit }) as const);
  }
  return [{ type: 'utterance', at, text: line.trim(), confidence: 1 }];
}

/** A call driven one caller turn at a time, so a person can type answers as the bot asks. */
export class Simulation {
  private state: MachineState = initialState();

  constructor(
    private readonly q: Questionnaire,
    private readonly clock: () => number = Date.now,
  ) {}

  get ended(): boolean {
    return this.state.phase === 'ended';
  }

  start(): TranscriptLine[] {
    return this.apply({ type: 'call_started', at: this.clock(), speech: true });
  }

  feed(line: string): TranscriptLine[] {
    if (this.ended) return [];
    const out: TranscriptLine[] = [{ type: 'caller', text: line }];
    for (const event of eventsForLine(line, this.clock())) out.push(...this.apply(event));
    return out;
  }

  /** End of input: the caller hangs up (nothing happens if the call already ended). */
  hangUp(): TranscriptLine[] {
    return this.ended ? [] : this.apply({ type: 'hangup', at: this.clock() });
  }

  private apply(event: MachineEvent): TranscriptLine[] {
    const t = transition(this.q, this.state, event);
    this.state = t.state;
    const out = t.effects.map(toLine).filter((line): line is SimulationLine => line !== null);
    // Each prompt is heard whole before the caller's next turn.
    if (t.effects.some((e) => e.type === 'say') && !this.ended) {
      this.state = transition(this.q, this.state, { type: 'prompt_finished', at: this.clock() }).state;
    }
    return out;
  }
}

/** Runs a whole simulated call; end of input is the caller hanging up. */
export function simulate(q: Questionnaire, lines: Iterable<string>, clock: () => number = Date.now): TranscriptLine[] {
  const sim = new Simulation(q, clock);
  const out = sim.start();
  for (const line of lines) {
    if (sim.ended) break;
    out.push(...sim.feed(line));
  }
  out.push(...sim.hangUp());
  return out;
}

function toLine(effect: Effect): SimulationLine | null {
  switch (effect.type) {
    case 'say':
      return { type: 'say', text: effect.text };
    case 'record':
      return { type: 'answer', item: effect.item, value: effect.answer.value, method: effect.answer.method };
    case 'escalate':
      return { type: 'escalate', kind: effect.kind, item: effect.item };
    case 'end': {
      const answers = Object.fromEntries(Object.entries(effect.result.answers).map(([id, a]) => [id, a.value]));
      return { type: 'end', status: effect.status, answers };
    }
    case 'listen':
    case 'interrupt':
    case 'transfer':
      return null;
  }
}

export function formatHuman(line: TranscriptLine): string {
  switch (line.type) {
    case 'say':
      return `  bot: ${line.text}`;
    case 'caller':
      return `caller: ${line.text === '' ? '(silence)' : line.text}`;
    case 'answer':
      return `       [answer] ${line.item} = ${JSON.stringify(line.value)} (${line.method})`;
    case 'escalate':
      return `       [escalate] ${line.kind} on ${line.item}`;
    case 'end':
      return `       [end] ${line.status}, ${Object.keys(line.answers).length} answers`;
  }
}
