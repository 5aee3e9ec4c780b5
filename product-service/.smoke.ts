import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ShopClient, ProductServiceClient, Problem } from '@escalable/shop-sdk';
import { startDevStack } from '../infra/src/dev-stack/stack.ts';
import { benchProducts } from '../infra/bench/products.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ps-smoke-'));
const lines: string[] = [];
const stack = await startDevStack({ dataDir, gatewayPort: 28080, pgPort: 56329, portOffset: 20000, log: (l) => lines.push(l) }).catch(async (e) => { console.error(lines.slice(-40).join('\n')); throw e; });
try {
  console.log('stack up', stack.gatewayUrl, stack.instances.map((i) => i.name).join(','));
  const admin = new ShopClient({ baseUrl: stack.gatewayUrl });
  await admin.auth.login(stack.admin);
  const ropa = await admin.categories.create({ name: 'Ropa', slug: 'ropa' });
  const remeras = await admin.categories.create({ name: 'Remeras', slug: 'remeras', parentId: ropa.id });
  const p1 = await admin.products.create({ name: 'Remera lisa', status: 'active', categoryIds: [remeras.id], variants: [{ sku: 'REM-S', options: { size: 'S' }, price: { amount: 1500000, currency: 'ARS' }, stock: 10 }, { sku: 'REM-M', options: { size: 'M' }, price: { amount: 1600000, currency: 'ARS' }, stock: 0 }] });
  await admin.products.create({ name: 'Pantalón cargo', description: 'Bolsillos laterales', status: 'active', categoryIds: [ropa.id], variants: [{ sku: 'PAN-42', price: { amount: 3000000, currency: 'ARS' }, stock: 3 }] });
  const visitor = new ShopClient({ baseUrl: stack.gatewayUrl });
  console.log('tree', JSON.stringify(await visitor.categories.tree()).slice(0, 200));
  const all = await visitor.products.list({ category: 'ropa' });
  const search = await visitor.products.list({ q: 'bolsillos' });
  const cheap = await visitor.products.list({ category: 'ropa', maxPrice: 2000000, inStock: true });
  const page2 = await visitor.products.list({ category: 'ropa', sort: 'price', limit: 1, offset: 1 });
  console.log('list ropa', all.total, 'search', search.items.map((p) => p.name), 'cheap', cheap.items.map((p) => p.name), 'page2', page2.items.map((p) => p.name), page2.total);
  console.log('by slug', (await visitor.products.get(p1.slug)).variants.map((v) => `${v.sku}:${v.available}`));
  const internalThroughGateway = await fetch(`${stack.gatewayUrl}/internal/variants?ids=${p1.variants[0]!.id}`);
  console.log('internal via gateway', internalThroughGateway.status);
  const secret = (await import('node:fs')).readFileSync(path.join(dataDir, 'service-secret'), 'utf8').trim();
  const ps = new ProductServiceClient({ baseUrl: stack.instances.filter((i) => i.service.name === 'product-service').map((i) => i.url), caller: 'order-service', secret });
  const r = await ps.reserve('smoke-1', [{ variantId: p1.variants[0]!.id, quantity: 2 }]).catch((e) => e);
  console.log('reserve', r instanceof Problem ? `${r.status} ${r.detail}` : r.status);
  const bench = await benchProducts(stack.gatewayUrl, 50, 20);
  console.log('bench', JSON.stringify(bench));
  console.log('machine', os.cpus()[0]?.model, os.cpus().length, (os.totalmem() / 1024 ** 3).toFixed(1));
} catch (e) {
  console.error('FAILED', e);
  await writeFile('/tmp/ps-smoke.log', lines.join('\n'));
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
