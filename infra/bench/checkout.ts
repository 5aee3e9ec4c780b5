// Measures checkout (POST /api/orders) through the gateway with BENCH_BUYERS (50) buyers at once, then
// races RACERS (50) buyers for a variant of 10 units and checks that exactly 10 orders were placed. Run it with
// the stack up (`npm start`):
//   npx tsx infra/bench/checkout.ts
// GATEWAY_URL (default http://localhost:8080), BENCH_BUYERS (50), BENCH_DURATION (30 s) and
// BENCH_WARMUP (5 s) tune it; DEV_DATA_DIR (infra/.data) is where the running stack keeps its signing key.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Problem, ROLE_PERMISSIONS, ShopClient, type ShippingAddress } from '@escalable/shop-sdk';
import { keyIdOf, signAccessToken } from '@escalable/shop-sdk/internal';
import { request } from 'undici';
import { loadOrCreateSecrets } from '../src/dev-stack/keys.js';
import { describeMachine, loadAverage, machineLine } from './machine.js';

const BENCH_PRODUCT_SLUG = 'bench-checkout';
const PLENTY = 1_000_000;
const SCARCE = 10;
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

export interface CheckoutBenchResult {
  buyers: number;
  durationSeconds: number;
  orders: number;
  ordersPerSecond: number;
  checkoutP50Ms: number;
  checkoutP99Ms: number;
  checkoutMaxMs: number;
  /** Every answer that was not 201, by `status type` (or `error message`), with its count. */
  failures: Record<string, number>;
  oversell: {
    buyers: number;
    orders: number;
    failures: Record<string, number>;
    reserved: number;
    available: number;
  };
}

export async function benchCheckout(
  gatewayUrl = process.env.GATEWAY_URL ?? 'http://localhost:8080',
  buyers = Number(process.env.BENCH_BUYERS ?? 50),
  durationSeconds = Number(process.env.BENCH_DURATION ?? 30),
  warmupSeconds = Number(process.env.BENCH_WARMUP ?? 5),
): Promise<CheckoutBenchResult> {
  const admin = await signedInAdmin(gatewayUrl);
  const newBuyer = await buyerFactory(gatewayUrl);
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
    oversell: await raceForScarceVariant(gatewayUrl, admin, newBuyer, RACERS),
  };
}

/**
 * Each of `buyers` loops until the time is up: a new customer puts one unit in the cart and checks out.
 * A new customer each time because order-service converts the cart through its outbox, up to a second
 * after the 201: the same customer adding again at once would add to the cart being closed.
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
    buyers,
    orders: outcomes.filter((outcome) => outcome.placed).length,
    failures: tally(outcomes.filter((outcome) => !outcome.placed)),
    reserved: stock.reserved,
    available: stock.available,
  };
}

async function signedInAdmin(gatewayUrl: string): Promise<ShopClient> {
  const admin = new ShopClient({ baseUrl: gatewayUrl });
  await admin.auth.login({
    email: process.env.ADMIN_EMAIL ?? 'admin@escalable.local',
    password: process.env.ADMIN_PASSWORD ?? 'Admin-dev-password-1',
  });
  return admin;
}

/**
 * Customers signed in with tokens made by the running stack's own key, as user-service issues them:
 * thousands of sign-ups would measure argon2, not checkout.
 */
async function buyerFactory(gatewayUrl: string): Promise<() => ShopClient> {
  const dataDir =
    process.env.DEV_DATA_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.data');
  const { jwtPrivateKey } = await loadOrCreateSecrets(dataDir);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchCheckout();
  const { oversell } = result;
  const oversold = oversell.orders !== SCARCE || oversell.reserved !== SCARCE || oversell.available !== 0;
  console.log('POST /api/orders through the gateway');
  console.log(`machine:       ${machineLine(await describeMachine())}`);
  console.log(`load average:  ${loadAverage()}`);
  console.log(`load:          ${result.buyers} buyers for ${result.durationSeconds.toFixed(1)} s`);
  console.log(`orders:        ${result.orders} (${result.ordersPerSecond.toFixed(1)}/s)`);
  console.log(`checkout p50:  ${result.checkoutP50Ms.toFixed(0)} ms`);
  console.log(
    `checkout p99:  ${result.checkoutP99Ms.toFixed(0)} ms (max ${result.checkoutMaxMs.toFixed(0)} ms)`,
  );
  console.log(`not 201:       ${JSON.stringify(result.failures)}`);
  console.log(
    `oversell:      ${oversell.buyers} buyers for ${SCARCE} units → ${oversell.orders} orders, ` +
      `${JSON.stringify(oversell.failures)}; stock ${oversell.reserved} reserved, ${oversell.available} available` +
      (oversold ? '  OVERSOLD OR UNDERSOLD' : ''),
  );
  if (Object.keys(result.failures).length > 0 || oversold) process.exitCode = 1;
}
