/**
 * The record of one dial (src/engine/dial.ts draws it): what every payload built from that call
 * reads, and the data of its `dial.finished` event. In a file of its own so the engine's public
 * types (types.ts) can name it without importing the dial model.
 */
import type { AsrTurn, HangupType, QuestionAnswer, StringMap } from '../generated/types.ts';
import type { DialOutcome, IntentionKind, RingType } from '../scenario/types.ts';

export interface DialRecord {
  callId: string;
  number: string;
  numberIndex: number;
  /** 1-based dial count of this number (call_times when it is the last). */
  attempt: number;
  outcome: DialOutcome;
  answered: boolean;
  /** null when the dial never reached the network (src/engine/ring-type.ts). */
  ringType: RingType | null;
  ringTime: number;
  talkTime: number;
  hangup: HangupType;
  label: string;
  description: string;
  kind: IntentionKind | null;
  talkRound: number;
  startAt: number;
  /** Pick-up time when answered, else the end time (vendor: call_start_time = call_end_time). */
  connectAt: number;
  endAt: number;
  callerNumber: string;
  eventLabels: StringMap;
  asr: AsrTurn[];
  asrPtp: string;
  nerSlots: StringMap;
  /** Info Check answers (answered calls only; unanswered ones are all Skip). */
  qa: QuestionAnswer[] | null;
  /** Wait after this dial before the next one of the contact (redial or next number), ms. */
  redialDelayMs: number;
  nextNumberDelayMs: number;
}
