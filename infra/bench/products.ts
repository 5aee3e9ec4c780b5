// Measures GET /api/products through the gateway with autocannon and prints requests/s, latency p50 and
// p99, and the machine. Run it with the stack up (`npm start`):
//   npx tsx infra/bench/products.ts
// GATEWAY_URL (default http://localhost:8080), BENCH_CONNECTIONS (50) and BENCH_DURATION (20 s) tune it.
// A catalog of BENCH_PRODUCTS (200) products is created first when missing, signed in as the dev admin
// (ADMIN_EMAIL / ADMIN_PASSWORD, the dev stack's by default), so the listing does real work.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { Problem, ShopClient } from '@escalable/shop-sdk';

const CATEGORY_SLUG = 'bench-catalog';

export interface ProductsBenchResult {
  url: string;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
}

export async function benchProducts(
  gatewayUrl = process.env.GATEWAY_URL ?? 'http://localhost:8080',
  connections = Number(process.env.BENCH_CONNECTIONS ?? 50),
  durationSeconds = Number(process.env.BENCH_DURATION ?? 20),
): Promise<ProductsBenchResult> {
  if (await ensureCatalog(gatewayUrl, Number(process.env.BENCH_PRODUCTS ?? 200))) {
    // Autovacuum analyzes new rows within its one-minute nap; measuring before that would measure plans
    // PostgreSQL made for empty tables.
    console.log('catalog created; waiting 70 s for PostgreSQL to analyze it');
    await new Promise((resolve) => setTimeout(resolve, 70_000));
  }
  const url = `${gatewayUrl}/api/products?category=${CATEGORY_SLUG}&sort=price&limit=20`;
  // A warm-up, so connection pools, the JIT and PostgreSQL's caches are not part of the figure.
  await autocannon({ url, connections, duration: 10 });
  const result = await autocannon({ url, connections, duration: durationSeconds });
  return {
    url,
    connections,
    durationSeconds: result.duration,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Creates the bench catalog when it is missing or short; says whether it did. */
async function ensureCatalog(gatewayUrl: string, wanted: number): Promise<boolean> {
  const shop = new ShopClient({ baseUrl: gatewayUrl });
  const existing = await shop.products.list({ category: CATEGORY_SLUG, limit: 1 }).catch((error: unknown) => {
    if (error instanceof Problem && error.status === 404) return undefined;
    throw error;
  });
  if (existing && existing.total >= wanted) return false;
  await shop.auth.login({
    email: process.env.ADMIN_EMAIL ?? 'admin@escalable.local',
    password: process.env.ADMIN_PASSWORD ?? 'Admin-dev-password-1',
  });
  const category = existing
    ? await shop.categories.get(CATEGORY_SLUG)
    : await shop.categories.create({ name: 'Bench catalog', slug: CATEGORY_SLUG });
  for (let index = existing?.total ?? 0; index < wanted; index++) {
    const id = `${Date.now().toString(36)}-${index}`;
    await shop.products.create({
      name: `Bench product ${index} ${['remera', 'pantalón', 'campera', 'zapatilla'][index % 4]}`,
      slug: `bench-${id}`,
      description: 'Producto de prueba para medir el listado del catálogo',
      status: 'active',
      categoryIds: [category.id],
      variants: ['S', 'M', 'L'].map((size, position) => ({
        sku: `BENCH-${id}-${size}`,
        options: { size },
        price: { amount: 100_000 + index * 100 + position * 10, currency: 'ARS' },
        stock: (index + position) % 5,
      })),
    });
  }
  return true;
}

function describeMachine(): string {
  const cpus = os.cpus();
  const memoryGb = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${
    cpus.length
  } cores, ${memoryGb} GB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchProducts();
  console.log(`GET ${result.url}`);
  console.log(`machine:      ${describeMachine()}`);
  console.log(`load:         ${result.connections} connections for ${result.durationSeconds} s`);
  console.log(`requests/s:   ${result.requestsPerSecond.toFixed(0)}`);
  console.log(`latency p50:  ${result.latencyP50Ms} ms`);
  console.log(`latency p99:  ${result.latencyP99Ms} ms`);
  console.log(`non-2xx:      ${result.non2xx}, errors: ${result.errors}`);
  if (result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
}
