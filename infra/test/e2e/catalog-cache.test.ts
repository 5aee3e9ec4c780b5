import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { request } from 'undici';
import type { CursorPage, Product, ShopClient } from '@escalable/shop-sdk';
import { eventually } from '@escalable/shop-sdk/testing';
import { signedInAdmin } from './clients.js';
import { gatewayUrl } from './stack.js';

const ars = (amount: number) => ({ amount, currency: 'ARS' });

/** A read as a visitor's browser makes it: no Authorization, no Cache-Control. */
async function anonymousRead(path: string): Promise<{ status: number; body: unknown }> {
  const res = await request(`${gatewayUrl()}${path}`);
  return { status: res.statusCode, body: await res.body.json() };
}

/** A read as the admin's browser makes it: the same URL, with the admin's token. */
async function staffRead(admin: ShopClient, path: string): Promise<{ status: number; body: unknown }> {
  const res = await request(`${gatewayUrl()}${path}`, {
    headers: { authorization: `Bearer ${admin.tokens!.accessToken}` },
  });
  return { status: res.statusCode, body: await res.body.json() };
}

const stockFigures = (page: CursorPage<Product>) =>
  page.items.flatMap((product) =>
    product.variants.flatMap((variant) => [variant.onHand, variant.reserved].filter((n) => n !== undefined)),
  );

describe("The gateway's micro-cache for anonymous catalog reads", () => {
  let admin: ShopClient;
  let listingPath: string;
  let product: Product;
  let draft: Product;

  before(async () => {
    admin = await signedInAdmin();
    const run = randomUUID().slice(0, 6);
    const category = await admin.categories.create({ name: 'Mates', slug: `mates-${run}` });
    product = await admin.products.create({
      name: 'Mate de calabaza',
      status: 'active',
      categoryIds: [category.id],
      variants: [{ sku: `${run}-MATE`.toUpperCase(), price: ars(120_000), stock: 7 }],
    });
    draft = await admin.products.create({
      name: 'Mate de vidrio en preparación',
      status: 'draft',
      categoryIds: [category.id],
      variants: [{ sku: `${run}-DRAFT`.toUpperCase(), price: ars(90_000), stock: 2 }],
    });
    listingPath = `/api/products?category=${category.slug}`;
  });

  it('When the admin changes a price, then the staff listing shows it at once and the anonymous one within the cache’s second', async () => {
    const before = await anonymousRead(listingPath);
    const variant = product.variants[0]!;

    await admin.products.updateVariant(product.id, variant.id, { price: ars(135_000) });
    const staff = await staffRead(admin, listingPath);
    const anonymous = await eventually(async () => {
      const read = await anonymousRead(listingPath);
      const page = read.body as CursorPage<Product>;
      return page.items[0]?.variants[0]?.price.amount === 135_000 ? page : undefined;
    }, 'the anonymous listing to show the new price');

    expect((before.body as CursorPage<Product>).items[0]!.variants[0]!.price.amount).to.equal(120_000);
    expect((staff.body as CursorPage<Product>).items[0]!.variants[0]!.price.amount).to.equal(135_000);
    expect(anonymous.items.map((item) => item.name)).to.deep.equal(['Mate de calabaza']);
  });

  it('When staff read a listing and a draft, then a visitor reading the same URLs right after sees no stock figures and no draft', async () => {
    for (let round = 0; round < 3; round++) {
      const staffListing = await staffRead(admin, listingPath);
      const anonymousListing = await anonymousRead(listingPath);
      const staffDraft = await staffRead(admin, `/api/products/${draft.id}`);
      const anonymousDraft = await anonymousRead(`/api/products/${draft.id}`);

      expect(stockFigures(staffListing.body as CursorPage<Product>)).to.not.deep.equal([]);
      expect(stockFigures(anonymousListing.body as CursorPage<Product>)).to.deep.equal([]);
      expect((anonymousListing.body as CursorPage<Product>).items.map((item) => item.name)).to.deep.equal([
        'Mate de calabaza',
      ]);
      expect(staffDraft.status).to.equal(200);
      expect(anonymousDraft.status).to.equal(404);
    }
  });
});
