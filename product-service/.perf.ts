import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { createLogger } from '@escalable/shop-sdk/server';
import { createTestSigningKey, listen, startTestDatabase } from '@escalable/shop-sdk/testing';
import { ShopClient } from '@escalable/shop-sdk';
import { buildApp } from './src/app.js';
import { readConfig } from './src/config.js';
import { openDatabase } from './src/db/index.js';

const key = createTestSigningKey();
const database = await startTestDatabase('perf');
const level = process.env.LEVEL ?? 'silent';
const logger = createLogger('product-service', level);
const config = readConfig({ DATABASE_URL: database.url, SERVICE_SECRET: randomBytes(32).toString('hex'), JWT_PUBLIC_KEY: key.publicKeyPem, LOG_LEVEL: level });
const db = openDatabase(database.url, 10, logger);
await db.migrate();
const server = await listen(buildApp({ config, db, logger }));
const shop = new ShopClient({ baseUrl: server.url });
shop.tokens = { tokenType: 'Bearer', accessToken: key.tokenFor({ id: 'a', roles: ['admin'] }), expiresIn: 1, refreshToken: '', refreshExpiresIn: 0 };
const cat = await shop.categories.create({ name: 'Bench', slug: 'bench-catalog' });
for (let index = 0; index < 200; index++) {
  await shop.products.create({ name: `Bench product ${index}`, status: 'active', categoryIds: [cat.id], variants: ['S', 'M', 'L'].map((size, p) => ({ sku: `B-${index}-${size}`, options: { size }, price: { amount: 100000 + index * 100 + p, currency: 'ARS' }, stock: (index + p) % 5 })) });
}
const url = `${server.url}/api/products?${process.env.QUERY ?? 'category=bench-catalog&sort=price&limit=20'}`;
await autocannon({ url, connections: 20, duration: 3 });
const r = await autocannon({ url, connections: 20, duration: Number(process.env.DUR ?? 10) });
console.log('rps', r.requests.average, 'p50', r.latency.p50, 'p99', r.latency.p99, 'non2xx', r.non2xx);
await server.close(); await db.close(); await database.stop();
