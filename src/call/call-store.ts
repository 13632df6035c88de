import type { AnswerRecord, CallStatus, FlagRecord } from '../questionnaire/types';
import type { Provider } from '../telephony/events';

/** What is kept of a call: written after every answer, so a crash loses nothing answered. */
export interface CallRecord {
  /** Ours: a UUID the bridge mints for every call. The provider's id is only an attribute. */
  id: string;
  provider: Provider;
  /** The provider's id for the call (Twilio CallSid, Maqsam context id); may repeat across attempts. */
  providerCallId: string;
  questionnaire: string;
  questionnaireVersion: number;
  /** `interrupted`: the instance carrying the call died; found and closed at the next start. */
  status: CallStatus | 'in_progress' | 'interrupted';
  startedAt: string;
  endedAt: string | null;
  answers: Record<string, AnswerRecord>;
  flags: FlagRecord[];
  /** Set when the call was handed to a person. */
  transferredTo?: string;
  /** Who placed the call: the patient (inbound) or the clinic (outbound). Inbound when absent. */
  direction?: 'inbound' | 'outbound';
  /** The clinic's reference for the patient (FHIR `Patient/<id>`), when the call is for a known one. */
  patientReference?: string | null;
  /** The outbound attempt this call answered. */
  attemptId?: string | null;
  /** Timeline events to append with this write (each is written once; the record's other fields are whole state). */
  appendEvents?: CallEvent[];
}

/** One moment of a call's timeline. No answer values or transcripts here: those live in answers. */
export interface CallEvent {
  /** ISO 8601. */
  at: string;
  type: CallEventType;
  detail?: Record<string, string | number | boolean | null>;
}

export type CallEventType =
  | 'started'
  | 'prompt'
  | 'input'
  | 'no_input'
  | 'barge_in'
  | 'answer'
  | 'flag'
  | 'speech_unavailable'
  | 'speech_available'
  | 'stream_replaced'
  | 'transfer'
  | 'internal_error'
  | 'voicemail'
  | 'ended';

export interface CallStore {
  /** Writes the call's whole current state and appends its `appendEvents`, in one transaction. Ordering between saves of one call is the caller's (CallRecorder writes one at a time). */
  save(record: CallRecord): Promise<void>;
  /** Every call with this provider id, newest first. */
  findByProviderCallId(provider: Provider, providerCallId: string): Promise<CallRecord[]>;
}
