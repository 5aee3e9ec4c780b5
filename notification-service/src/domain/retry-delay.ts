import { ExponentialBackoff } from 'cockatiel';
import type { DeliverySettings } from './dependencies.js';

/**
 * How long to wait before the attempt after `attempt`: exponential from the base delay up to the
 * maximum, with cockatiel's decorrelated jitter so deliveries that failed together (an SMTP outage)
 * do not all come back at the same moment.
 */
export function retryDelayMs(
  attempt: number,
  { retryBaseDelayMs, retryMaxDelayMs }: Pick<DeliverySettings, 'retryBaseDelayMs' | 'retryMaxDelayMs'>,
): number {
  let backoff = new ExponentialBackoff({ initialDelay: retryBaseDelayMs, maxDelay: retryMaxDelayMs }).next();
  for (let step = 1; step < attempt; step++) backoff = backoff.next(undefined);
  return Math.round(backoff.duration);
}
