/**
 * Before a campaign, `run` checks that something listens at each place its callbacks will go: a
 * target nobody listens on would otherwise cost every delivery its full retry budget before the
 * run says anything. One connection check per distinct host:port (src/delivery/reachability.ts).
 */
import type { Wall } from '../clock/wall.ts';
import type { CallbackType } from '../contract/callbacks.ts';
import { describeFailure, probeTarget } from '../delivery/reachability.ts';
import { RunConfigError } from '../delivery/scenario-config.ts';
import { resolveCallbackUrl } from '../emulation/delivery-routing.ts';
import type { Scenario } from '../scenario/types.ts';

/** A target could not be reached before the run: exit 2, nothing sent. */
export class PreflightError extends RunConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

/** Where the scenario's callbacks go: per-type targets, else `target`, else the template URLs. */
export function plannedTargets(
  scenario: Scenario,
  target: string | undefined,
  targets: Partial<Record<CallbackType, string>> = {},
  baseUrl = 'http://127.0.0.1',
): string[] {
  const urls = new Set<string>();
  for (const t of scenario.templates) {
    for (const [type, cb] of Object.entries(t.callbacks) as [CallbackType, { url: string }][]) {
      urls.add(targets[type] ?? resolveCallbackUrl(cb.url, baseUrl, target));
    }
  }
  for (const url of Object.values(targets)) if (url !== undefined) urls.add(url);
  if (target !== undefined && urls.size === 0) urls.add(target);
  return [...urls];
}

const hostPort = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
};

/** Check each distinct host:port; throws PreflightError naming every one that failed. */
export async function preflight(
  urls: readonly string[],
  opts: { timeoutMs: number; wall?: Wall },
): Promise<void> {
  const byHost = new Map<string, string>();
  for (const url of urls) if (!byHost.has(hostPort(url))) byHost.set(hostPort(url), url);
  const results = await Promise.all(
    [...byHost.values()].map(async (url) => ({ url, failure: await probeTarget(url, opts) })),
  );
  const problems = results
    .filter((r) => r.failure !== null)
    .map((r) => `${r.url}: ${describeFailure(r.failure!.error, r.failure!.message)}`);
  if (problems.length === 0) return;
  throw new PreflightError(
    `preflight: cannot reach ${problems.length === 1 ? 'the target' : `${problems.length} targets`} ` +
      `(nothing was sent; --no-preflight skips this check)\n  ${problems.join('\n  ')}`,
  );
}
