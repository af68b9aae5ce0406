/**
 * A loopback callback receiver for tests (127.0.0.1, port 0). It records every request (headers,
 * raw body, arrival order) and answers as told: a status, `hang` (never answer), `reset` (drop the
 * connection), optionally failing the first N requests of each delivery. Deliveries are told apart
 * by `X-Emulator-Delivery-Id`, or by the body when the debug headers are off.
 *
 *   const rx = await startReceiver({ failFirst: 2 });   // 500, 500, then 200 per delivery
 *   after(() => rx.close());
 */
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceiverAction = number | 'hang' | 'reset' | { status: number; body?: string };

export interface ReceivedRequest {
  /** 1-based arrival order over the receiver's life. */
  seq: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: string;
  /** Delivery key: X-Emulator-Delivery-Id, else a hash of the body. */
  key: string;
  /** 1-based count of requests seen for this key (this one included). */
  nth: number;
  action: ReceiverAction;
}

export type Respond = (req: ReceivedRequest) => ReceiverAction;

export interface ReceiverOptions {
  /** What to answer (default 200), or a function of the request. */
  respond?: ReceiverAction | Respond;
  /** Answer `failWith` to the first N requests of each delivery, then `respond`. */
  failFirst?: number;
  failWith?: ReceiverAction;
}

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Requests for one delivery key, in arrival order. */
  forKey(key: string): ReceivedRequest[];
  setRespond(respond: ReceiverAction | Respond): void;
  /** Resolves once `n` requests have arrived in total. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  let respond: ReceiverAction | Respond = opts.respond ?? 200;
  const requests: ReceivedRequest[] = [];
  const counts = new Map<string, number>();
  // Per key, in arrival order: forKey stays O(1) for campaigns of tens of thousands of deliveries.
  const byKey = new Map<string, ReceivedRequest[]>();
  const waiters: { n: number; resolve: () => void }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const idHeader = req.headers['x-emulator-delivery-id'];
      const key = typeof idHeader === 'string' ? idHeader : createHash('sha256').update(raw).digest('hex');
      const nth = (counts.get(key) ?? 0) + 1;
      counts.set(key, nth);
      const rec: ReceivedRequest = {
        seq: requests.length + 1,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw,
        body: raw.toString('utf8'),
        key,
        nth,
        action: 200,
      };
      const failing = opts.failFirst !== undefined && nth <= opts.failFirst;
      rec.action = failing ? (opts.failWith ?? 500) : typeof respond === 'function' ? respond(rec) : respond;
      requests.push(rec);
      const same = byKey.get(key);
      if (same) same.push(rec);
      else byKey.set(key, [rec]);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (requests.length >= waiters[i]!.n) waiters.splice(i, 1)[0]!.resolve();
      }
      const action = rec.action;
      if (action === 'hang') return;
      if (action === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      const { status, body } = typeof action === 'number' ? { status: action, body: undefined } : action;
      const text = body ?? JSON.stringify(status >= 200 && status < 300 ? {} : { error: `status ${status}` });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/callback`,
    port,
    requests,
    forKey: (key) => [...(byKey.get(key) ?? [])],
    setRespond(r) {
      respond = r;
    },
    waitFor(n) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests and idle keep-alive sockets would hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
