/**
 * `run --sink`: a loopback receiver inside the run, answering as the scenario's `receiver:`
 * section says (fail the first N attempts of each delivery, a response sequence, a delay, only for
 * some message types). It lets the shipped scenarios play end to end without `serve` or an app.
 * Deliveries are routed to `<url>/<message type>`, and attempts are counted by the emulator's
 * X-Emulator-Attempt header (falling back to counting identical bodies).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverSpec } from '../scenario/types.ts';
import type { Wall } from '../clock/wall.ts';

export interface LocalSink {
  /** Base URL; post to `<url>/<message type>`. */
  url: string;
  received(): number;
  close(): Promise<void>;
}

export function sinkAnswer(
  spec: ReceiverSpec,
  type: string,
  attempt: number,
): { status: number; body?: string } {
  const misbehaves = !spec.fail_types || (spec.fail_types as string[]).includes(type);
  if (misbehaves && spec.sequence) {
    const r = spec.sequence[Math.min(attempt, spec.sequence.length) - 1]!;
    return { status: r.status, ...(r.body !== undefined ? { body: r.body } : {}) };
  }
  if (misbehaves && spec.fail_first !== undefined && attempt <= spec.fail_first)
    return { status: spec.fail_status ?? 500 };
  return { status: 200 };
}

export async function startLocalSink(spec: ReceiverSpec, wall: Wall): Promise<LocalSink> {
  const seen = new Map<string, number>();
  let received = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received++;
      const type = (req.url ?? '/').split('/').filter(Boolean).at(-1) ?? '';
      let attempt = Number(req.headers['x-emulator-attempt']);
      if (!Number.isInteger(attempt) || attempt < 1) {
        const key = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
        attempt = (seen.get(key) ?? 0) + 1;
        seen.set(key, attempt);
      }
      const answer = sinkAnswer(spec, type, attempt);
      const delay =
        (spec.sequence?.[Math.min(attempt, spec.sequence.length) - 1]?.delay_ms ?? 0) + (spec.delay_ms ?? 0);
      const reply = () =>
        res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body ?? '{}');
      if (delay > 0) wall.after(delay, reply);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sink`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
