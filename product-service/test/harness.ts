import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import {
  type Category,
  type InvalidParam,
  type NewProduct,
  type Product,
  type ProblemDetails,
} from '@escalable/shop-sdk';
import { ProductServiceClient, serviceTokenSigner } from '@escalable/shop-sdk/internal';
import { createLogger, type Database } from '@escalable/shop-sdk/server';
import { call, serviceUnderTest, type Answer } from '@escalable/shop-sdk/testing';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { openDatabase } from '../src/db/index.js';

export { call, type Answer };
export { countRows } from '@escalable/shop-sdk/testing';

/** A problem+json answer as a client reads it; `invalidParams` comes with validation problems. */
export type ProblemBody = ProblemDetails & { invalidParams: InvalidParam[] };

const silent = createLogger('product-service', 'silent');

const started = serviceUnderTest({
  name: 'product',
  openDatabase: (url) => openDatabase(url, 10, silent),
  start: async ({ db, env }) => ({ app: buildApp({ config: readConfig(env), db, logger: silent }) }),
});

export const { serviceSecret: SERVICE_SECRET, signingKey } = started;

export interface ProductServiceUnderTest {
  url: string;
  app: Express;
  db: Database;
  /** order-service's view of the internal API. */
  internal: ProductServiceClient;
}

let running: Promise<ProductServiceUnderTest> | undefined;

/**
 * The service under test: started once per run on a real PostgreSQL, listening on real HTTP. It calls
 * no other service, so the outbound guard lets through nothing but calls to itself.
 */
export function productService(): Promise<ProductServiceUnderTest> {
  return (running ??= started().then(({ url, app, db }) => ({
    url,
    app,
    db,
    internal: new ProductServiceClient({ baseUrl: url, caller: 'order-service', secret: SERVICE_SECRET }),
  })));
}

export const adminToken = () => signingKey.tokenFor({ id: randomUUID(), roles: ['customer', 'admin'] });
export const customerToken = () => signingKey.tokenFor({ id: randomUUID(), roles: ['customer'] });
/** Credentials order-service would present on /internal calls. */
export const orderServiceToken = serviceTokenSigner('order-service', SERVICE_SECRET);

/** A name no other test uses, so tests sharing the database do not see each other's rows. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function givenCategory(
  url: string,
  fields: { name?: string; parentId?: string } = {},
): Promise<Category> {
  const slug = unique('cat');
  const answer = await call<Category>(url, 'POST', '/api/categories', {
    token: adminToken(),
    body: { name: fields.name ?? slug, slug, ...(fields.parentId ? { parentId: fields.parentId } : {}) },
  });
  if (answer.status !== 201)
    throw new Error(`category not created: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** An active product with one variant (SKU unique per call) unless the overrides say otherwise. */
export async function givenProduct(url: string, overrides: Partial<NewProduct> = {}): Promise<Product> {
  const name = overrides.name ?? unique('Product');
  const answer = await call<Product>(url, 'POST', '/api/products', {
    token: adminToken(),
    body: {
      name,
      status: 'active',
      variants: [{ sku: unique('SKU'), price: { amount: 1000, currency: 'ARS' }, stock: 5 }],
      ...overrides,
    },
  });
  if (answer.status !== 201)
    throw new Error(`product not created: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export interface StockFigures {
  onHand: number;
  reserved: number;
  ledgerOnHand: number;
  ledgerReserved: number;
}

/** Asserts a variant's stock figures, and that its ledger adds up to them. */
export async function expectStock(
  db: Database,
  variantId: string,
  expected: Partial<Pick<StockFigures, 'onHand' | 'reserved'>>,
): Promise<void> {
  const figures = await stockFigures(db, variantId);
  expect(figures).to.include(expected);
  expect({ onHand: figures.ledgerOnHand, reserved: figures.ledgerReserved }, 'the ledger sums').to.deep.equal(
    {
      onHand: figures.onHand,
      reserved: figures.reserved,
    },
  );
}

/**
 * What the public sees of the product's variants agrees with the variants as staff see them, each with
 * its on-hand less reserved available: for products no reservation past its expiry holds units of.
 */
export async function expectPublicVariantsCurrent(url: string, productId: string): Promise<void> {
  const [shown, staff] = await Promise.all([
    call<Product>(url, 'GET', `/api/products/${productId}`),
    call<Product>(url, 'GET', `/api/products/${productId}`, { token: adminToken() }),
  ]);
  expect(shown.body.variants).to.deep.equal(
    staff.body.variants.map(({ onHand, reserved, ...variant }) => ({
      ...variant,
      available: onHand! - reserved!,
    })),
  );
}

/** A variant's stock columns next to the sums of its ledger, read straight from the database. */
async function stockFigures(db: Database, variantId: string): Promise<StockFigures> {
  const [rows] = await db.sequelize.query(
    `SELECT v.on_hand, v.reserved,
            (SELECT coalesce(sum(delta_on_hand), 0) FROM stock_movements WHERE variant_id = v.id) AS ledger_on_hand,
            (SELECT coalesce(sum(delta_reserved), 0) FROM stock_movements WHERE variant_id = v.id) AS ledger_reserved
     FROM variants v WHERE v.id = $variantId`,
    { bind: { variantId } },
  );
  const row = (rows as Array<Record<string, string | number>>)[0]!;
  return {
    onHand: Number(row.on_hand),
    reserved: Number(row.reserved),
    ledgerOnHand: Number(row.ledger_on_hand),
    ledgerReserved: Number(row.ledger_reserved),
  };
}
