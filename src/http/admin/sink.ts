/**
 * The built-in callback sink at /__emulator/sink/<anything>: a receiver inside the emulator, so the demo
 * (and anyone without an endpoint yet) can watch callbacks arrive. It records what it receives
 * and answers as switched: `ok` (200), `fail` (a status), `hang` (never answers: the delivery
 * times out), optionally failing only the first N attempts of each delivery — the retry demo.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Clock } from '../../core/clock.ts';
import { VendorError } from '../../core/vendor-errors.ts';
import type { Sink, SinkRequest, SinkSettings } from './sink-types.ts';

export type { Sink, SinkMode, SinkRequest, SinkSettings } from './sink-types.ts';

/** The sink with its express route (mounted at /__emulator/sink) and shutdown hook. */
export interface BuiltInSink extends Sink {
  router: Router;
  /** Answer every hanging request (503) so a server can close. */
  releaseHanging(): void;
}

const KEEP = 1000;
const BODY_LIMIT = '5mb';
const BODY_KEEP_CHARS = 64 * 1024;
const DEFAULT_SETTINGS: SinkSettings = { mode: 'ok', failStatus: 500 };

export function createSink(clock: Clock, initial: Partial<SinkSettings> = {}): BuiltInSink {
  let settings: SinkSettings = { ...DEFAULT_SETTINGS, ...initial };
  let seq = 0;
  let log: SinkRequest[] = [];
  const hanging = new Set<Response>();
  const router = express.Router();

  router.all(
    '/*path',
    express.text({ type: () => true, limit: BODY_LIMIT }),
    (req: Request, res: Response) => {
      const deliveryId = req.get('x-emulator-delivery-id');
      const attempt = Number(req.get('x-emulator-attempt'));
      const failing =
        settings.mode !== 'ok' && (settings.failFirst === undefined || !(attempt > settings.failFirst));
      const answer: number | 'hang' = !failing
        ? 200
        : settings.mode === 'hang'
          ? 'hang'
          : settings.failStatus;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const body = typeof req.body === 'string' ? req.body : '';
      log.push({
        seq: ++seq,
        at: clock.now(),
        method: req.method,
        path: req.originalUrl,
        headers,
        body: body.length > BODY_KEEP_CHARS ? body.slice(0, BODY_KEEP_CHARS) : body,
        ...(deliveryId ? { deliveryId } : {}),
        ...(Number.isInteger(attempt) && attempt > 0 ? { attempt } : {}),
        answer,
      });
      if (log.length > KEEP) log = log.slice(-KEEP);
      if (answer === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res
        .status(answer)
        .json(answer === 200 ? { status: 'success' } : { status: 'failed', reason: 'sink switched to fail' });
    },
  );

  return {
    router,
    requests: () => [...log],
    clear() {
      log = [];
    },
    settings: () => ({ ...settings }),
    configure(next) {
      const merged = { ...settings, ...next };
      if (!['ok', 'fail', 'hang'].includes(merged.mode)) {
        throw new VendorError(
          'badRequest',
          `sink mode must be ok, fail or hang (got ${JSON.stringify(merged.mode)})`,
        );
      }
      if (
        !Number.isInteger(merged.failStatus) ||
        merged.failStatus < 100 ||
        merged.failStatus > 599 ||
        (merged.mode === 'fail' && merged.failStatus < 300)
      ) {
        throw new VendorError(
          'badRequest',
          `sink failStatus must be a failing HTTP status, 300-599 (got ${JSON.stringify(merged.failStatus)})`,
        );
      }
      if (merged.failFirst !== undefined && (!Number.isInteger(merged.failFirst) || merged.failFirst < 0)) {
        throw new VendorError('badRequest', 'sink failFirst must be a non-negative integer');
      }
      settings = merged;
      return { ...settings };
    },
    releaseHanging() {
      for (const res of hanging) res.status(503).json({ status: 'failed', reason: 'emulator shutting down' });
      hanging.clear();
    },
  };
}
