/**
 * Puts a sink answer (src/emulation/sink.ts) on a response, for both hosts of the sink (the
 * express route at /__emulator/sink and `run --sink`'s loopback server): now, after its delay (in
 * real time: a receiver's slowness is real whatever the clock), or never (`hang`). Answers still
 * held can be released so a server can close.
 */
import type { Wall, WallTimer } from '../clock/wall.ts';
import type { SinkAnswer } from './sink.ts';

/** What a response must offer (node:http's ServerResponse and express's Response do). */
export interface SinkReply {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface SinkResponder {
  reply(res: SinkReply, answer: SinkAnswer): void;
  /** Answer every delayed or hanging request now (503), so a server can close. */
  release(): void;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const SHUTTING_DOWN = '{"status":"failed","reason":"emulator shutting down"}';

export function createSinkResponder(wall: Wall): SinkResponder {
  const held = new Map<SinkReply, WallTimer | null>();
  return {
    reply(res, answer) {
      if (answer !== 'hang' && answer.delayMs <= 0) {
        res.writeHead(answer.status, JSON_HEADERS);
        res.end(answer.body);
        return;
      }
      const timer =
        answer === 'hang'
          ? null
          : wall.after(answer.delayMs, () => {
              held.delete(res);
              res.writeHead(answer.status, JSON_HEADERS);
              res.end(answer.body);
            });
      held.set(res, timer);
      // The sender gave up (its timeout): nothing left to answer.
      res.once('close', () => {
        held.get(res)?.cancel();
        held.delete(res);
      });
    },
    release() {
      for (const [res, timer] of held) {
        timer?.cancel();
        res.writeHead(503, JSON_HEADERS);
        res.end(SHUTTING_DOWN);
      }
      held.clear();
    },
  };
}
