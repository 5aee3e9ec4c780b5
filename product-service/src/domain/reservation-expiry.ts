import type { Logger } from '@escalable/shop-sdk/server';
import { releaseExpiredReservations } from './inventory.js';

export interface ExpirySweeper {
  /** Stops the timer and waits for a sweep in progress, so the pool can close under it. */
  stop(): Promise<void>;
}

/** Gives back the stock of expired reservations on a timer, in every instance (the sweep is shareable). */
export function startExpirySweeper(intervalMs: number, logger: Logger): ExpirySweeper {
  let sweeping: Promise<void> | undefined;
  const sweep = () => {
    // A slow sweep is not overlapped by the next tick.
    sweeping ??= releaseExpiredReservations()
      .then(
        (released) => {
          if (released > 0) logger.info({ released }, 'expired reservations released');
        },
        (error: unknown) => logger.error({ err: error }, 'releasing expired reservations failed'),
      )
      .finally(() => {
        sweeping = undefined;
      });
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}
