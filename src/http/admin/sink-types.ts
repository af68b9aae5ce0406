/**
 * The built-in callback sink's public face, as plain data and an interface (no express): what the
 * library's `Emulator.sink` and options expose. The receiving route is src/http/admin/sink.ts.
 */

export type SinkMode = 'ok' | 'fail' | 'hang';

export interface SinkSettings {
  mode: SinkMode;
  /** Status answered when failing (default 500), as a scenario's `receiver.fail_status`. */
  failStatus: number;
  /**
   * When set, only the first N attempts of each delivery fail / hang; later ones get 200 (as a
   * scenario's `receiver.fail_first`).
   */
  failFirst?: number;
}

export interface SinkRequest {
  seq: number;
  /** Clock time of arrival (epoch ms). */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  deliveryId?: string;
  attempt?: number;
  /** What the sink answered: a status, or `hang`. */
  answer: number | 'hang';
}

/** The built-in sink at /__emulator/sink: what it received, and how it answers. */
export interface Sink {
  /** What it received, oldest first (the last 1,000). */
  requests(): SinkRequest[];
  clear(): void;
  settings(): SinkSettings;
  /** Change how it answers; throws on a bad setting. Returns the settings now in force. */
  configure(settings: Partial<SinkSettings>): SinkSettings;
}
