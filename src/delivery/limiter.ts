/**
 * Bounded concurrency per target (URL origin), FIFO within a target: a slow receiver only slows
 * its own deliveries, and requests wait here — before their deadline starts — rather than in the
 * socket pool.
 */
export interface Limiter {
  run<T>(key: string, job: () => Promise<T>): Promise<T>;
  /** Jobs running + waiting, over all keys. */
  load(): number;
}

interface Lane {
  active: number;
  waiting: (() => void)[];
}

export function createLimiter(perKey: number): Limiter {
  if (!(perKey >= 1) || !Number.isInteger(perKey))
    throw new Error(`concurrency must be a positive integer (got ${perKey})`);
  const lanes = new Map<string, Lane>();
  let load = 0;

  const release = (key: string, lane: Lane) => {
    const next = lane.waiting.shift();
    if (next) next();
    else {
      lane.active--;
      if (lane.active === 0) lanes.delete(key);
    }
  };

  return {
    async run(key, job) {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { active: 0, waiting: [] };
        lanes.set(key, lane);
      }
      load++;
      if (lane.active < perKey) lane.active++;
      // The slot is handed over directly by release(), so `active` stays counted.
      else await new Promise<void>((resolve) => lane!.waiting.push(resolve));
      try {
        return await job();
      } finally {
        load--;
        release(key, lane);
      }
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
