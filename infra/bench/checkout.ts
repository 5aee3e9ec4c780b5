// Checkout (POST /api/orders) through the gateway: BENCH_BUYERS (50) buyers at once, then RACERS (50)
// buyers for a variant of 10 units, with the orders counted in order-service's database.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Problem, ROLE_PERMISSIONS, ShopClient, type ShippingAddress } from '@escalable/shop-sdk';
import { keyIdOf, signAccessToken } from '@escalable/shop-sdk/internal';
import { request } from 'undici';
import { loadOrCreateSecrets } from '../src/dev-stack/keys.js';
import type { BenchStack } from './bench-stack.js';

const BENCH_PRODUCT_SLUG = 'bench-checkout';
const PLENTY = 1_000_000;
export const SCARCE = 10;
// More buyers than units, whatever BENCH_BUYERS is, so the race can oversell if anything lets it.
const RACERS = 50;

const shippingAddress: ShippingAddress = {
  recipient: 'Ana Compradora',
  line1: 'Av. Corrientes 1234',
  city: 'Buenos Aires',
  postalCode: 'C1043',
  country: 'AR',
  isDefault: true,
};

interface Variant {
  productId: string;
  variantId: string;
}

/**
 * What one checkout answered: 201, a problem's status and type, or a transport error's message; or why
 * the cart could not be filled, in which case nothing was timed.
 */
type Outcome = { label: string; placed: boolean; ms?: number };

export interface CheckoutSettings {
  buyers: number;
  /** Not counted: connection pools, the JIT and PostgreSQL's caches settle first. */
  warmupSeconds: number;
  durationSeconds: number;
}

export interface CheckoutLoad {
  buyers: number;
  durationSeconds: number;
  orders: number;
  ordersPerSecond: number;
  checkoutP50Ms: number;
  checkoutP99Ms: number;
  checkoutMaxMs: number;
  /** Every answer that was not 201, by `status type` (or `error message`), with its count. */
  failures: Record<string, number>;
}

export interface CheckoutRace {
  buyers: number;
  /** Checkouts answered 201. */
  orders: number;
  failures: Record<string, number>;
  /** Orders holding the variant in order-service's database, by status, and their units. */
  ordersInDatabase: Record<string, number>;
  unitsOrdered: number;
  reserved: number;
  available: number;
}

export interface CheckoutFigures {
  settings: CheckoutSettings;
  load: CheckoutLoad;
  race: CheckoutRace;
}

export async function benchCheckout(bench: BenchStack, settings: CheckoutSettings): Promise<CheckoutFigures> {
  return { settings, load: await checkoutLoad(bench, settings), race: await checkoutRace(bench) };
}

/** Orders per second and checkout latency with `settings.buyers` buyers. */
export async function checkoutLoad(bench: BenchStack, settings: CheckoutSettings): Promise<CheckoutLoad> {
  const { gatewayUrl } = bench.stack;
  const { buyers, warmupSeconds, durationSeconds } = settings;
  const admin = await signedInAdmin(bench);
  const newBuyer = await buyerFactory(bench);
  const plenty = await benchVariant(admin);

  // A warm-up, so connection pools, the JIT and PostgreSQL's caches are not part of the figure.
  await checkoutLoops(gatewayUrl, newBuyer, plenty.variantId, buyers, warmupSeconds);
  const started = performance.now();
  const outcomes = await checkoutLoops(gatewayUrl, newBuyer, plenty.variantId, buyers, durationSeconds);
  const elapsedSeconds = (performance.now() - started) / 1000;

  const times = outcomes.flatMap((outcome) => outcome.ms ?? []).sort((a, b) => a - b);
  const orders = outcomes.filter((outcome) => outcome.placed).length;
  return {
    buyers,
    durationSeconds: elapsedSeconds,
    orders,
    ordersPerSecond: orders / elapsedSeconds,
    checkoutP50Ms: percentile(times, 50),
    checkoutP99Ms: percentile(times, 99),
    checkoutMaxMs: times.at(-1) ?? 0,
    failures: tally(outcomes.filter((outcome) => !outcome.placed)),
  };
}

/** More buyers than units check out at once: exactly SCARCE orders, counted in the database too. */
export async function checkoutRace(bench: BenchStack): Promise<CheckoutRace> {
  const admin = await signedInAdmin(bench);
  const race = await raceForScarceVariant(bench.stack.gatewayUrl, admin, await buyerFactory(bench), RACERS);
  return { ...race, ...(await ordersOfVariant(bench.databaseUrlOf('order-service'), race.variantId)) };
}

/**
 * Each of `buyers` loops until the time is up: a new customer puts one unit in the cart and checks out.
 * A new customer each time because order-service converts the cart through its outbox just after the
 * 201: the same customer adding again at once could add to the cart being closed.
 * Only the checkout request is timed.
 */
async function checkoutLoops(
  gatewayUrl: string,
  newBuyer: () => ShopClient,
  variantId: string,
  buyers: number,
  seconds: number,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: buyers }, async () => {
      while (performance.now() < until) {
        const buyer = newBuyer();
        const refused = await addToCart(buyer, variantId);
        outcomes.push(refused ?? (await checkOut(buyer, gatewayUrl)));
      }
    }),
  );
  return outcomes;
}

async function addToCart(buyer: ShopClient, variantId: string): Promise<Outcome | undefined> {
  return buyer.cart.addItem({ variantId, quantity: 1 }).then(
    () => undefined,
    (error: unknown) => ({
      label: `add to cart: ${error instanceof Problem ? `${error.status} ${error.slug}` : String(error)}`,
      placed: false,
    }),
  );
}

/**
 * One POST /api/orders, timed. Plain undici rather than ShopClient: the client retries a 503 with the same
 * key, which would hide the server's failures in the latency instead of counting them.
 */
async function checkOut(buyer: ShopClient, gatewayUrl: string): Promise<Outcome> {
  const began = performance.now();
  const label = await request(`${gatewayUrl}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${buyer.tokens!.accessToken}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-${randomUUID()}`,
    },
    body: JSON.stringify({ shippingAddress }),
  })
    .then(async ({ statusCode, body }) => {
      const answer = (await body.json()) as { type?: string };
      return statusCode === 201 ? '201' : `${statusCode} ${answer.type?.split('/').at(-1) ?? ''}`;
    })
    .catch((error: unknown) => `error ${String(error)}`);
  return { label, placed: label === '201', ms: performance.now() - began };
}

/** `buyers` customers put the last units in their carts, then all check out at once. */
async function raceForScarceVariant(
  gatewayUrl: string,
  admin: ShopClient,
  newBuyer: () => ShopClient,
  buyers: number,
) {
  const scarce = await createVariant(admin, `bench-scarce-${randomUUID().slice(0, 8)}`, SCARCE);
  const racers = Array.from({ length: buyers }, newBuyer);
  const refusals = await Promise.all(racers.map((racer) => addToCart(racer, scarce.variantId)));
  const outcomes = await Promise.all(
    racers.map((racer, index) => refusals[index] ?? checkOut(racer, gatewayUrl)),
  );
  const stock = await admin.products.stockLedger(scarce.productId, scarce.variantId, { limit: 1 });
  return {
    variantId: scarce.variantId,
    buyers,
    orders: outcomes.filter((outcome) => outcome.placed).length,
    failures: tally(outcomes.filter((outcome) => !outcome.placed)),
    reserved: stock.reserved,
    available: stock.available,
  };
}

/** Every order holding `variantId`, by status, and the units they hold but for failed ones. */
async function ordersOfVariant(databaseUrl: string, variantId: string) {
  const database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  try {
    const { rows } = await database.query<{ status: string; orders: number; units: number }>(
      `SELECT o.status, count(DISTINCT o.id)::int AS orders, sum(l.quantity)::int AS units
       FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE l.variant_id = $1 GROUP BY o.status`,
      [variantId],
    );
    return {
      ordersInDatabase: Object.fromEntries(rows.map((row) => [row.status, row.orders])),
      unitsOrdered: rows.filter((row) => row.status !== 'failed').reduce((sum, row) => sum + row.units, 0),
    };
  } finally {
    await database.end();
  }
}

/** Exactly SCARCE orders, in the answers and in the database, and every unit reserved by them. */
export function raceIsExact(race: CheckoutRace): boolean {
  const liveOrders = Object.entries(race.ordersInDatabase)
    .filter(([status]) => status !== 'failed')
    .reduce((sum, [, orders]) => sum + orders, 0);
  return (
    race.orders === SCARCE &&
    liveOrders === SCARCE &&
    race.unitsOrdered === SCARCE &&
    race.reserved === SCARCE &&
    race.available === 0
  );
}

async function signedInAdmin(bench: BenchStack): Promise<ShopClient> {
  const admin = new ShopClient({ baseUrl: bench.stack.gatewayUrl, timeoutMs: 60_000 });
  await admin.auth.login(bench.stack.admin);
  return admin;
}

/**
 * Customers signed in with tokens made by the running stack's own key, as user-service issues them:
 * thousands of sign-ups would measure argon2, not checkout.
 */
async function buyerFactory(bench: BenchStack): Promise<() => ShopClient> {
  const { gatewayUrl } = bench.stack;
  const { jwtPrivateKey } = await loadOrCreateSecrets(bench.dataDir);
  const key = { privateKey: jwtPrivateKey, kid: keyIdOf(jwtPrivateKey) };
  return () => {
    const buyer = new ShopClient({ baseUrl: gatewayUrl, timeoutMs: 60_000 });
    const claims = {
      sub: randomUUID(),
      email: `bench-${randomUUID().slice(0, 8)}@example.test`,
      roles: ['customer' as const],
      permissions: [...ROLE_PERMISSIONS.customer],
    };
    buyer.tokens = {
      tokenType: 'Bearer',
      accessToken: signAccessToken(claims, key, 900),
      expiresIn: 900,
      refreshToken: '',
      refreshExpiresIn: 0,
    };
    return buyer;
  };
}

/** The bench product, made once with plenty of stock; later runs reuse it. */
async function benchVariant(admin: ShopClient): Promise<Variant> {
  const existing = await admin.products.get(BENCH_PRODUCT_SLUG).catch((error: unknown) => {
    if (error instanceof Problem && error.status === 404) return undefined;
    throw error;
  });
  if (!existing) return createVariant(admin, BENCH_PRODUCT_SLUG, PLENTY);
  const variant = existing.variants[0]!;
  // Every placed order keeps its units reserved until the payment expires; refill before it runs short.
  const stock = await admin.products.stockLedger(existing.id, variant.id, { limit: 1 });
  if (stock.available < PLENTY / 2) {
    await admin.products.adjustStock(existing.id, variant.id, {
      delta: PLENTY - stock.available,
      note: 'bench restock',
    });
  }
  return { productId: existing.id, variantId: variant.id };
}

async function createVariant(admin: ShopClient, slug: string, stock: number): Promise<Variant> {
  const product = await admin.products.create({
    name: `Bench checkout ${slug}`,
    slug,
    status: 'active',
    variants: [
      {
        sku: slug.toUpperCase(),
        options: { color: 'negro' },
        price: { amount: 1_250_000, currency: 'ARS' },
        stock,
      },
    ],
  });
  return { productId: product.id, variantId: product.variants[0]!.id };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const tally = (outcomes: Outcome[]): Record<string, number> =>
  outcomes.reduce<Record<string, number>>(
    (counts, outcome) => ({ ...counts, [outcome.label]: (counts[outcome.label] ?? 0) + 1 }),
    {},
  );
