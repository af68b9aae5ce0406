/**
 * Bounded concurrency per target (URL origin), FIFO within a target: a slow receiver only slows
 * its own deliveries, and requests wait here — before their deadline starts — rather than in the
 * socket pool.
 *
 * Two faces: `acquire`/`release` (callbacks, no allocation when under the cap — the delivery
 * service's hot path) and `run` (promises, for everything else).
 */
export interface Limiter {
  /**
   * Call `job(arg)` now if `key` has a free slot, else once one frees up (FIFO). The job owns the
   * slot until it calls `release(key)`, exactly once.
   */
  acquire<T>(key: string, job: (arg: T) => void, arg: T): void;
  release(key: string): void;
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** Jobs running + waiting, over all keys. */
  load(): number;
}

interface Waiting {
  job: (arg: never) => void;
  arg: unknown;
}

interface Lane {
  active: number;
  /** A FIFO with a moving head: `shift()` on a long array copies it every time. */
  waiting: Waiting[];
  head: number;
}

export function createLimiter(perKey: number): Limiter {
  if (!(perKey >= 1) || !Number.isInteger(perKey))
    throw new Error(`concurrency must be a positive integer (got ${perKey})`);
  const lanes = new Map<string, Lane>();
  let load = 0;

  function acquire<T>(key: string, job: (arg: T) => void, arg: T): void {
    let lane = lanes.get(key);
    if (lane === undefined) {
      lane = { active: 0, waiting: [], head: 0 };
      lanes.set(key, lane);
    }
    load++;
    if (lane.active < perKey) {
      lane.active++;
      job(arg);
    } else {
      lane.waiting.push({ job, arg });
    }
  }

  function release(key: string): void {
    const lane = lanes.get(key);
    if (lane === undefined) throw new Error(`limiter: release without acquire for "${key}"`);
    load--;
    if (lane.head < lane.waiting.length) {
      // The slot is handed over directly, so `active` stays counted.
      const next = lane.waiting[lane.head]!;
      lane.waiting[lane.head++] = undefined as unknown as Waiting;
      if (lane.head === lane.waiting.length) {
        lane.waiting = [];
        lane.head = 0;
      }
      (next.job as (arg: unknown) => void)(next.arg);
    } else if (--lane.active === 0) {
      lanes.delete(key);
    }
  }

  return {
    acquire,
    release,
    run<T>(key: string, job: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        acquire(
          key,
          () => {
            let p: Promise<T>;
            try {
              p = job();
            } catch (err) {
              p = Promise.reject(err);
            }
            p.then(
              (v) => {
                release(key);
                resolve(v);
              },
              (err: unknown) => {
                release(key);
                reject(err);
              },
            );
          },
          undefined,
        );
      });
    },
    load: () => load,
  };
}

/** The limiter key of a URL: its origin (scheme, host, port). */
export function targetKey(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
