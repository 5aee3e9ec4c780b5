// The checkout bench's figures as the BENCHMARKS.md section.
import { raceIsExact, SCARCE, type CheckoutFigures } from './checkout.js';
import { count, met, runLine, STACK_LINE, type RunContext } from './report-format.js';

/** Issue 22's goal. */
const P99_GOAL_MS = 300;

export function checkoutReport(figures: CheckoutFigures, run: RunContext): string {
  const { settings, load, race } = figures;
  const failures = Object.keys(load.failures).length === 0;
  return [
    '## Checkout: POST /api/orders through the gateway (`npm run bench`)',
    `${runLine(run)} ${STACK_LINE}`,
    [
      `${settings.buyers} buyers at once, each turn a new customer (an access token signed with the stack's key,`,
      'no argon2) puts one unit of a 1 000 000-unit variant in the cart through the gateway, then checks out',
      "with a fresh `Idempotency-Key` (one plain request: the SDK's retry of a 503 would hide failures in the",
      'latency). Only the checkout is timed; it crosses cart-service, product-service (prices, reservation),',
      'order-service and payment-service (the MercadoPago sandbox). Then 50 new customers race for a',
      `${SCARCE}-unit variant, and its orders are counted in order-service's database.`,
      `${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured.`,
    ].join(' '),
    [
      `**Goals**: p99 ${load.checkoutP99Ms.toFixed(0)} ms (< ${P99_GOAL_MS} ms: ${met(load.checkoutP99Ms < P99_GOAL_MS)});`,
      `errors: ${failures ? 'none' : describe(load.failures)} (zero: ${met(failures)});`,
      `oversell: ${race.orders} orders for ${SCARCE} units (exact: ${met(raceIsExact(race))}).`,
    ].join(' '),
    [
      '| Buyers | Orders | Orders/s | p50 ms | p99 ms | max ms | Not 201 |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      `| ${load.buyers} | ${count(load.orders)} | ${load.ordersPerSecond.toFixed(1)} | ${load.checkoutP50Ms.toFixed(0)} | ${load.checkoutP99Ms.toFixed(0)} | ${load.checkoutMaxMs.toFixed(0)} | ${failures ? '0' : describe(load.failures)} |`,
    ].join('\n'),
    [
      `The race: ${race.buyers} customers for ${SCARCE} units → ${race.orders} answered 201,`,
      `the others ${describe(race.failures) || 'nothing'}; order-service's database holds`,
      `${describe(race.ordersInDatabase) || 'no order'} for the variant (${race.unitsOrdered} units);`,
      `the stock ledger: ${race.reserved} reserved, ${race.available} available.`,
    ].join(' '),
  ].join('\n\n');
}

/** `3 × 503 busy, 1 × 409 out-of-stock`. */
export const describe = (tally: Record<string, number>): string =>
  Object.entries(tally)
    .map(([label, times]) => `${times} × ${label}`)
    .join(', ');
