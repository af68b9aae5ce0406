/**
 * The built-in callback sink at /__emulator/sink/<anything>: a receiver inside the emulator, so the
 * demo (and anyone without an endpoint yet) can watch callbacks arrive. An express host of the one
 * sink model (src/emulation/sink.ts): it records what it receives and answers as the scenario that
 * produced the callback says (its `receiver:` section, found from the X-Emulator-Delivery-Id
 * header), or as the sink's own settings say once they are set explicitly.
 */
import express, { type Request, type Response, type Router } from 'express';
import { systemWall, type Wall } from '../../clock/wall.ts';
import type { Clock } from '../../core/clock.ts';
import { callbackTypeOfPath, createSinkModel, type Sink, type SinkSettings } from '../../emulation/sink.ts';
import { createSinkResponder } from '../../emulation/sink-responder.ts';
import type { SinkRoute } from '../../emulation/sink-routing.ts';

export type { Sink, SinkMode, SinkRequest, SinkSettings, SinkSource } from '../../emulation/sink.ts';

/** The sink with its express route (mounted at /__emulator/sink) and shutdown hook. */
export interface BuiltInSink extends Sink {
  router: Router;
  /** Answer every hanging or delayed request (503) so a server can close. */
  releaseHanging(): void;
}

export interface BuiltInSinkOptions {
  /** Explicit settings from the start (the `sink` option); default: follow the scenarios. */
  settings?: Partial<SinkSettings>;
  /** A delivery id → its type and its scenario's receiver settings. */
  route?: (deliveryId: string) => SinkRoute | undefined;
  /** Real time for answer delays (default: the host). */
  wall?: Wall;
}

const BODY_LIMIT = '5mb';

export function createSink(clock: Clock, opts: BuiltInSinkOptions = {}): BuiltInSink {
  const model = createSinkModel(opts.settings ? { explicit: opts.settings } : {});
  const responder = createSinkResponder(opts.wall ?? systemWall);
  const router = express.Router();

  router.all(
    '/*path',
    express.text({ type: () => true, limit: BODY_LIMIT }),
    (req: Request, res: Response) => {
      const deliveryId = req.get('x-emulator-delivery-id');
      const attempt = req.get('x-emulator-attempt');
      const route = deliveryId !== undefined ? opts.route?.(deliveryId) : undefined;
      const type = route?.type ?? callbackTypeOfPath(req.path);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const answer = model.receive(
        {
          at: clock.now(),
          method: req.method,
          path: req.originalUrl,
          headers,
          body: typeof req.body === 'string' ? req.body : '',
          ...(deliveryId ? { deliveryId } : {}),
          ...(attempt !== undefined ? { attempt: Number(attempt) } : {}),
          ...(type ? { type } : {}),
        },
        route?.settings,
      );
      responder.reply(res, answer);
    },
  );

  return {
    router,
    requests: model.requests,
    clear: model.clear,
    settings: model.settings,
    configure: model.configure,
    source: model.source,
    followScenarios: model.followScenarios,
    releaseHanging: responder.release,
  };
}
