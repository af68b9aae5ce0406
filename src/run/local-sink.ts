/**
 * `run --sink`: a loopback receiver inside the run, so the shipped scenarios play end to end without
 * `serve` or an app. A node:http host of the one sink model (src/emulation/sink.ts), answering
 * every callback as the scenario's `receiver:` section says — as the built-in sink of `serve` and
 * the library does for a callback of that scenario. Deliveries are routed to
 * `<url>/<message type>` (the type decides `fail_types`), and attempts are counted by the
 * emulator's X-Emulator-Attempt header (falling back to counting identical bodies).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Wall } from '../clock/wall.ts';
import { createSinkModel, callbackTypeOfPath, scenarioSinkSettings } from '../emulation/sink.ts';
import { createSinkResponder } from '../emulation/sink-responder.ts';
import type { ReceiverSpec } from '../scenario/types.ts';

export interface LocalSink {
  /** Base URL; post to `<url>/<message type>`. */
  url: string;
  received(): number;
  close(): Promise<void>;
}

/**
 * Listen on a free loopback port. Throws RunConfigError (naming the `receiver.` key) when the
 * receiver section is not valid.
 */
export async function startLocalSink(spec: ReceiverSpec, wall: Wall): Promise<LocalSink> {
  const settings = scenarioSinkSettings(spec);
  const model = createSinkModel();
  const responder = createSinkResponder(wall);
  let received = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received++;
      const path = req.url ?? '/';
      const deliveryId = req.headers['x-emulator-delivery-id'];
      const attempt = req.headers['x-emulator-attempt'];
      const type = callbackTypeOfPath(path);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const answer = model.receive(
        {
          at: wall.epoch(),
          method: req.method ?? 'POST',
          path,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ...(typeof deliveryId === 'string' ? { deliveryId } : {}),
          ...(typeof attempt === 'string' ? { attempt: Number(attempt) } : {}),
          ...(type ? { type } : {}),
        },
        settings,
      );
      responder.reply(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sink`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        responder.release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
