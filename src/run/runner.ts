/**
 * Plays campaigns on a clock and hands every message they produce to the delivery service. Each
 * campaign has one timer, set for its `nextTime()`; when it fires, the campaign is advanced to that
 * *planned* instant (not to now(): under a virtual clock that flows while requests are in flight,
 * now() may be a few ms later, and the log must not depend on it). Done when every campaign is
 * finished, every delivery has an outcome and the clock is idle.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Campaign, CampaignEvent, OutboundMessage } from '../engine/types.ts';
import type { DeliveryInput, DeliveryService } from '../delivery/delivery-service.ts';

export interface RunnerOptions {
  clock: Clock & { idle(): Promise<void> };
  campaigns: Campaign[];
  delivery: DeliveryService;
  /** Message → delivery (URL override, per-template policy…); default: the message as is. */
  route?: (message: OutboundMessage) => DeliveryInput;
  /** Every campaign event, in order (progress output, logs). */
  onCampaignEvent?: (event: CampaignEvent) => void;
}

export interface Runner {
  /** Resolves when campaigns, deliveries and the clock are all done. */
  done: Promise<void>;
  /** Stop scheduling campaigns (pending deliveries carry on). */
  stop(): void;
}

export function startRunner(opts: RunnerOptions): Runner {
  const { clock, delivery } = opts;
  const route = opts.route ?? ((m: OutboundMessage): DeliveryInput => m);
  const timers = new Map<Campaign, TimerHandle>();
  let failure: unknown;

  const schedule = (c: Campaign) => {
    const next = c.nextTime();
    if (next === null) return;
    timers.set(
      c,
      clock.setTimer(() => {
        timers.delete(c);
        try {
          for (const event of c.advanceTo(next)) {
            opts.onCampaignEvent?.(event);
            for (const m of event.messages) delivery.deliver(route(m));
          }
          schedule(c);
        } catch (err) {
          // A campaign or schema failure is an emulator bug: stop and surface it from `done`.
          failure ??= err;
        }
      }, next - clock.now()),
    );
  };
  for (const c of opts.campaigns) schedule(c);

  const done = (async () => {
    // Campaign steps and delivery attempts are all clock timers or tracked work, so an idle clock
    // means both are finished.
    await clock.idle();
    if (failure !== undefined) throw failure;
    if (timers.size > 0 || delivery.pendingCount() > 0) {
      throw new Error(
        `clock idle with ${timers.size} campaign(s) and ${delivery.pendingCount()} delivery(ies) pending`,
      );
    }
  })();

  return {
    done,
    stop() {
      for (const t of timers.values()) clock.clearTimer(t);
      timers.clear();
    },
  };
}
