/**
 * The typed library API. In a test suite:
 *
 *   const emu = await createEmulator({ scenarios: ['collection-ptp'] }); // default: every shipped scenario
 *   // point the app at emu.url, drive it, then let the campaign play out in virtual time:
 *   await emu.idle();
 *   emu.deliveries({ outcome: 'exhausted' });
 *   await emu.close();
 *
 * Without a socket: `buildEmulator(opts)` builds the same emulator and its request handler,
 * `emu.app` (vendor API, admin API, dashboard) for supertest or your own server; `emu.listen()`
 * opens the socket later (`createEmulator` = `buildEmulator` + `listen`).
 *
 * Receiver helpers (`verifySignature`, `decryptCallback`) check callbacks the way the emulator
 * signs and encrypts them.
 */
export {
  buildEmulator,
  createEmulator,
  type BuiltEmulator,
  type Emulator,
  type EmulatorDeliveryOptions,
  type EmulatorEvent,
  type EmulatorOptions,
  type FaultView,
  type ListenOptions,
  type LoggedRequest,
  type RequestFilter,
  type WorkflowStatusEvent,
} from './server/emulator.ts';
export {
  JournalDamagedError,
  type JournalFs,
  type JournalHealth,
  type JournalSettings,
} from './store/journal.ts';
export type { ReadLimits } from './store/journal-read.ts';
export {
  RunConfigError,
  type DeliverySettings,
  type EncryptionSettings,
  type SigningSettings,
} from './delivery/scenario-config.ts';
export type { ChaosConfig } from './delivery/chaos.ts';
export type { RetryPolicy } from './core/retry-policy.ts';
export {
  derivedTemplateId,
  TemplateIdClashError,
  type LoadedScenario,
} from './emulation/template-catalog.ts';
export { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, TOKEN_LIFETIME_MS, type Account } from './core/accounts.ts';
export type {
  Sink,
  SinkMode,
  SinkRequest,
  SinkResponse,
  SinkSettings,
  SinkSource,
} from './emulation/sink.ts';
export type { DeliveryRecord, AttemptRecord, DeliveryOutcome, SentOnDemand } from './delivery/types.ts';
export type { SendOptions } from './emulation/send.ts';
export type { DeliveryPage, DeliveryPageQuery, DeliveryQuery } from './emulation/library-api.ts';
export type { CallbackPayload, CallbackType } from './contract/callbacks.ts';
export type { ContactInput } from './scenario/types.ts';
export type { CampaignEvent, CampaignEventKind, OutboundMessage } from './engine/types.ts';
// The receiver entry (`airudder-emulator/receiver`), also here for one-import test suites.
export {
  airudderCallback,
  receiveCallback,
  CallbackError,
  verifySignature,
  signBody,
  decryptCallback,
  decryptVendorAes,
  encryptVendorAes,
  sha256Hex,
  DEFAULT_SIGNING_KEY,
  SIGN_HEADER,
  SIGNED_BY_DEFAULT,
  type AirudderCallbackOptions,
  type CallbackName,
  type CallbackPayloads,
  type CallbackRequest,
  type ReceivedCallback,
  type SignatureCheck,
  type SigningScheme,
} from './receiver.ts';
export { isValid, validate, type MessageName, type MessageOf } from './contract/registry.ts';
export { detectMessage, type Detection } from './contract/detect.ts';
export { idempotencyKey, IDEMPOTENCY_KEY_RULES, type IdempotencyKeyRule } from './contract/idempotency.ts';
export type * from './generated/types.ts';

// Scenarios, the campaign engine and the CI runner (what `run` does), for programmatic use.
export { loadScenarioFile, parseScenario, ScenarioError } from './scenario/load.ts';
export { resolveScenarioRef, shippedScenarioNames, UnknownScenarioError } from './scenario/refs.ts';
export type { Scenario } from './scenario/types.ts';
export { createCampaign, simulate } from './engine/campaign.ts';
export { runScenario, DEFAULT_ABORT_AFTER, type RunScenarioOptions } from './run/run-scenario.ts';
export { PreflightError } from './run/preflight.ts';
export type {
  RunReport,
  ReportDelivery,
  ReportAttempt,
  ReportOutcome,
  TypeFailures,
  FailureSample,
} from './run/report.ts';
export { createClock, type ClockSpec } from './clock/index.ts';

// Contract verification (what `schemas` and `verify` do).
export { buildVariants, type Variant } from './verify/variants.ts';
export { runVerify, type VerifyReport } from './verify/run-verify.ts';
