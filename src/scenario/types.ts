/**
 * TypeScript view of schemas/scenario.schema.json (the schema is the source of truth; this file
 * mirrors it by hand because the scenario schema is emulator-defined and small).
 */
import type { CallbackType } from '../contract/callbacks.ts';
import type { ListItem, RingTypeCanonical } from '../generated/types.ts';

/**
 * One list row as uploaded (createinstance `details[]` / uploaddetails) or generated; a scenario's
 * `contacts` are these rows. Re-exported by src/engine/types.ts. The uploaded row's generated type
 * (`ListItem`, schemas/list-item.schema.json) with one widening: a scenario row may list several
 * numbers, dialled in order (multi-number contact; scenario.schema.json `contactRow`).
 */
export type ContactInput = Omit<ListItem, 'callee'> & {
  /** One number, or several (multi-number contact: dialled in order). */
  callee: ListItem['callee'] | ListItem['callee'][];
  /**
   * Scenario rows only (emulator-defined, not a vendor row field): the zone of this row's push call
   * times, `auto` | `account` | an IANA zone; wins over the template's `callee_timezone`.
   */
  timezone?: string;
};

export type Business = 'collection' | 'telemarketing' | 'ecommerce' | 'info_check';

/** A fixed number or a uniform {min, max} draw. */
export type Range = number | { min: number; max: number };

/** One bucket of an empirical distribution: a uniform draw in [min, max], picked by weight. */
export interface Bucket {
  min: number;
  max: number;
  weight: number;
}

/** A Range, or an empirical distribution (`calibrate` writes these from recorded quantiles). */
export type Distribution = Range | { buckets: Bucket[] };

/** An exact count or {min?, max?}. */
export type CountSpec = number | { min?: number; max?: number };

/** A ring_type value the emulator sends (the canonical reading, without the initial null). */
export type RingType = NonNullable<RingTypeCanonical>;

/**
 * A dial that never reached the network: the number was rejected before dialling
 * (`invalid_number`) or the SIP line failed (`line_failure`). Its ring_type is null (inferred).
 */
export type UnreachedOutcome = 'invalid_number' | 'line_failure';

/** Outcome of one dial: answered, unanswered with its ring_type, or never on the network. */
export type DialOutcome = 'answered' | RingType | UnreachedOutcome;
export type DialWeights = Partial<Record<DialOutcome, number>>;

export interface CallNodeSpec {
  type: 'voicebot_call';
  name?: string;
  robot_id: string;
  robot_hash?: string;
  robot_method?: string;
  sip_line: string;
  repeat_number: number;
  /** Minutes (emulator choice of unit, see scenarios/README.md). */
  repeat_interval: number;
  calling_window?: string | string[];
}

export interface ApiNodeSpec {
  type: 'api';
  name?: string;
  custom_attribute?: Record<string, string>;
}

export type NodeSpec = CallNodeSpec | ApiNodeSpec;

export interface CallbackSpec {
  url: string;
  key?: string;
}

export interface QuestionSpec {
  name: string;
  content: string;
  type: 'whether' | 'open';
  variable?: string;
  /** Part of the variable asked for (`from` < 0 counts from the end). */
  chars?: { from: number; length: number };
}

export interface TemplateSpec {
  id: string;
  name?: string;
  /**
   * REST id of the template. Without it the server derives one from the scenario name and `id`
   * (src/emulation/template-catalog.ts `derivedTemplateId`), independent of what else is loaded.
   */
  workflow_template_id?: number;
  business: Business;
  nodes: NodeSpec[];
  callbacks: Partial<Record<CallbackType, CallbackSpec>>;
  questions?: QuestionSpec[];
  robot?: { agent_name?: string; company?: string };
  /**
   * Zone of the Custom API push's call times: `auto` (default: the dialled number's country),
   * `account`, or an IANA zone. Call-completion times always use the account zone.
   */
  callee_timezone?: string;
}

export type ValueKind =
  | 'customer_name'
  | 'first_name'
  | 'gender'
  | 'dob_mmdd'
  | 'dob'
  | 'digits'
  | 'curp'
  | 'nik'
  | 'pan'
  | 'amount'
  | 'total_owing_amount'
  | 'due_date'
  | 'order_id'
  | 'product'
  | 'city'
  | 'address'
  | 'const'
  | 'one_of';

export type ValueSpec = ValueKind | { kind: ValueKind; length?: number; value?: string; values?: string[] };

export interface GenerateSpec {
  count: number;
  numbers_per_contact?: Range;
  case_id_prefix?: string;
  platform?: string;
  detail_source?: 'api' | 'web';
  comments?: string;
  borrowed_amount?: Range;
  interest?: Range;
  borrowed_days_ago?: Range;
  due_in_days?: Range;
  overdue_days?: Range;
  extras?: { extra_a?: ValueSpec; extra_b?: ValueSpec; extra_c?: ValueSpec };
  variables?: Record<string, ValueSpec>;
}

export interface ContactsSpec {
  rows?: ContactInput[];
  generate?: GenerateSpec;
}

export type IntentionKind =
  | 'ptp'
  | 'paid'
  | 'refuse'
  | 'later'
  | 'wrong_person'
  | 'interested'
  | 'not_interested'
  | 'confirm'
  | 'cancel'
  | 'verified'
  | 'silent';

export interface IntentionSpec {
  label: string;
  description: string;
  weight: number;
  kind?: IntentionKind;
  talk_rounds?: Distribution;
  talk_time_s?: Distribution;
  event_labels?: Record<string, string>;
}

export interface OutcomesSpec {
  dial?: DialWeights;
  by_number?: DialWeights[];
  hangup?: { ByCallee?: number; ByRobot?: number };
  unanswered_hangup?: 'ByCallee' | 'ByRobot';
  intentions?: IntentionSpec[];
  no_answer?: { label: string; description: string };
  ring_time_s?: {
    answered?: Distribution;
    unanswered?: Distribution;
    unanswered_zero_share?: number;
    failed?: Distribution;
  };
  talk_rounds?: Distribution;
  talk_time_s?: Distribution;
  asr?: { empty_turn_share?: number; silence_reprompts?: Range };
  redial_delay_s?: Distribution;
  next_number_delay_s?: Range;
  api_delay_s?: Range;
  info_check?: { answers?: { match?: number; mismatch?: number; unclear?: number }; hangup_rate?: number };
  ptp?: { share_of_debt?: Range; days_ahead?: Range };
}

export interface ExpectationsSpec {
  all_delivered?: boolean;
  deliveries?: CountSpec;
  counts?: Partial<Record<CallbackType, CountSpec>>;
  delivered?: Partial<Record<CallbackType, CountSpec>>;
  failed?: CountSpec;
  attempts?: CountSpec;
  total_attempts?: CountSpec;
}

/** Plain data the delivery service reads (the engine ignores it). */
export interface DeliverySpec {
  timeout_ms?: number;
  retry_interval_ms?: number;
  max_retries?: number;
  signing?: { enabled?: boolean; algorithm?: string; header?: string };
  encryption?: { enabled?: boolean; key?: string };
  chaos?: { duplicate_rate?: number; reorder_rate?: number; reorder_window_ms?: number; delay_ms?: Range };
}

export interface ReceiverResponseSpec {
  status: number;
  delay_ms?: number;
  body?: string;
}

/** How the built-in sink / test receiver answers (plain data for the delivery side). */
export interface ReceiverSpec {
  fail_first?: number;
  fail_status?: number;
  fail_types?: CallbackType[];
  delay_ms?: number;
  sequence?: ReceiverResponseSpec[];
}

export interface Scenario {
  name?: string;
  description?: string;
  seed: number;
  start_time?: string;
  workflow_name?: string;
  question_content_escape?: boolean;
  info_check_push_asr?: boolean;
  account: {
    timezone: string;
    locale: 'id_ID' | 'en_PH' | 'es_MX' | 'en_IN' | 'en_US' | 'zh_CN';
    currency?: string;
    caller_numbers?: string[];
  };
  clock?: { mode?: 'virtual' | 'real' | 'scaled'; scale?: number };
  pacing?: { calls_per_minute?: number; closed_window?: 'queue' | 'pause' };
  templates: TemplateSpec[];
  contacts: ContactsSpec;
  outcomes?: OutcomesSpec;
  expectations?: ExpectationsSpec;
  delivery?: DeliverySpec;
  receiver?: ReceiverSpec;
}
