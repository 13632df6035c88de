import type { AnswerValue, ItemType, RedFlagAction } from './schema';

/** Vocabulary of the questionnaire machine: what happens to a call, and what the machine wants done. */

export type CallStatus = 'completed' | 'stopped' | 'escalated' | 'opted_out' | 'transferred';
export type AnswerMethod = 'voice' | 'dtmf';

export interface AnswerRecord {
  value: AnswerValue;
  method: AnswerMethod;
  /** What the caller said (voice answers); null for keypad answers. */
  transcript: string | null;
  confidence: number;
  /** How many tries this item took, the accepted one included. */
  attempts: number;
  answeredAt: string;
  /** Present and false when the caller hung up before confirming the read-back of this answer. */
  confirmed?: boolean;
}

export interface FlagRecord {
  item: string;
  action: RedFlagAction;
  value: AnswerValue;
  raisedAt: string;
}

export interface CallResult {
  status: CallStatus | 'in_progress';
  answers: Record<string, AnswerRecord>;
  flags: FlagRecord[];
}

/** Time arrives with every event (epoch milliseconds): the machine never reads a clock. */
export type MachineEvent =
  | { type: 'call_started'; at: number; speech: boolean; context?: Readonly<Record<string, string>> }
  | { type: 'utterance'; at: number; text: string; confidence: number }
  | { type: 'speech_started'; at: number }
  | { type: 'dtmf'; at: number; digit: string }
  | { type: 'no_input'; at: number }
  | { type: 'prompt_finished'; at: number }
  | { type: 'speech_availability'; at: number; available: boolean }
  | { type: 'hangup'; at: number }
  /** Answering-machine detection: an answering machine took the call, and its beep has sounded. */
  /** `leaveMessage: false`: hang up without the questionnaire's voicemail message (the campaign asked so). */
  | { type: 'voicemail'; at: number; leaveMessage?: boolean };

export interface SayEffect {
  type: 'say';
  text: string;
  /** Stable name of what is said (`prompt:greeting`, `item:chest_pain`, `confirm:temperature`). */
  key: string;
  /** A clinic's recording for this prompt, relative to the questionnaire file. */
  audio?: string;
  /** False for prompts the caller must hear whole (the emergency message). */
  interruptible: boolean;
}

export type Effect =
  | SayEffect
  | {
      type: 'listen';
      item: string;
      expect: ItemType | 'confirmation';
      /** Start the no-input timer once the prompts before this have finished playing. */
      timeoutMs: number;
      keypad: boolean;
      /** Words the recogniser should expect (option names, yes/no), for keyword boosting. */
      hints: string[];
    }
  | { type: 'interrupt' }
  | { type: 'record'; item: string; answer: AnswerRecord }
  | { type: 'escalate'; kind: RedFlagAction; item: string; value: AnswerValue }
  | { type: 'transfer'; number: string }
  | { type: 'end'; status: CallStatus; result: CallResult };

/** An answer heard but not yet accepted (it may still need the caller's confirmation). */
export interface Candidate {
  value: AnswerValue;
  method: AnswerMethod;
  transcript: string | null;
  confidence: number;
}

export interface MachineState {
  phase: 'not_started' | 'asking' | 'confirming' | 'ended';
  /** Index of the current item in the definition. */
  index: number;
  /** Silences and not-understood answers on the current item. */
  failures: number;
  /** Tries on the current item (answers heard, confirmed or not). */
  attempts: number;
  keypadOffered: boolean;
  /** Keypad digits typed so far for a number answer. */
  digits: string;
  pending: Candidate | null;
  /** Whether speech recognition is available; without it every question invites the keypad. */
  speech: boolean;
  speaking: boolean;
  interruptible: boolean;
  context: Readonly<Record<string, string>>;
  result: CallResult;
}

export interface Transition {
  state: MachineState;
  effects: Effect[];
}
