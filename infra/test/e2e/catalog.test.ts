import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { request } from 'undici';
import { type Category, type InvalidParam, type Product, type ShopClient } from '@escalable/shop-sdk';
import { ProductServiceClient } from '@escalable/shop-sdk/internal';
import { eventually } from '@escalable/shop-sdk/testing';
import { failureOf, signedInAdmin, signedUpShopper, visitor } from './clients.js';
import { gatewayUrl, instanceUrls, killInstance, stackSecrets } from './stack.js';

const ars = (amount: number) => ({ amount, currency: 'ARS' });

/** The catalog an admin builds through the gateway: Ropa > (Remeras, Pantalones), four products. */
async function buildCatalog(admin: ShopClient) {
  const run = randomUUID().slice(0, 6);
  let skus = 0;
  const ropa = await admin.categories.create({ name: 'Ropa', slug: `ropa-${run}` });
  const remeras = await admin.categories.create({
    name: 'Remeras',
    slug: `remeras-${run}`,
    parentId: ropa.id,
  });
  const pantalones = await admin.categories.create({
    name: 'Pantalones',
    slug: `pantalones-${run}`,
    parentId: ropa.id,
  });
  const product = (
    name: string,
    category: Category,
    variants: Array<[string, number, number]>,
    description = '',
  ) =>
    admin.products.create({
      name,
      description,
      status: 'active',
      categoryIds: [category.id],
      variants: variants.map(([size, amount, stock]) => ({
        sku: `${run}-${++skus}-${size}`.toUpperCase(),
        options: { size },
        price: ars(amount),
        stock,
      })),
    });
  const lisa = await product(
    'Remera lisa',
    remeras,
    [
      ['S', 150_000, 5],
      ['M', 160_000, 0],
    ],
    'Algodón peinado',
  );
  const estampada = await product('Remera estampada', remeras, [['M', 220_000, 3]], 'Estampa de un cóndor');
  const cargo = await product('Pantalón cargo', pantalones, [['42', 450_000, 0]], 'Gabardina de algodón');
  const borrador = await admin.products.create({
    name: 'Campera en preparación',
    status: 'draft',
    categoryIds: [ropa.id],
    variants: [{ sku: `${run}-DRAFT`, price: ars(990_000), stock: 1 }],
  });
  return { ropa, remeras, pantalones, lisa, estampada, cargo, borrador };
}

const names = (products: Product[]) => products.map((product) => product.name);

describe('Catalog through the gateway', () => {
  let admin: ShopClient;
  let catalog: Awaited<ReturnType<typeof buildCatalog>>;

  before(async () => {
    admin = await signedInAdmin();
    catalog = await buildCatalog(admin);
  });

  it('When the admin builds a category tree, then visitors see it with breadcrumbs', async () => {
    const tree = await visitor().categories.tree();
    const remeras = await visitor().categories.get(catalog.remeras.slug);

    const ropa = tree.find((node) => node.id === catalog.ropa.id);
    expect(ropa?.children.map((child) => child.name)).to.deep.equal(['Pantalones', 'Remeras']);
    expect(remeras.ancestors.map((ancestor) => ancestor.slug)).to.deep.equal([catalog.ropa.slug]);
  });

  it('When a visitor lists a category, then its subcategories count and drafts do not', async () => {
    const everything = await visitor().products.list({ category: catalog.ropa.slug });
    const remeras = await visitor().products.list({ category: catalog.remeras.slug });

    expect(everything.total).to.equal(3);
    expect(names(everything.items)).to.have.members(['Remera lisa', 'Remera estampada', 'Pantalón cargo']);
    expect(names(remeras.items)).to.have.members(['Remera lisa', 'Remera estampada']);
  });

  it('When a visitor searches, filters by price and stock, then only matching products come back', async () => {
    const shop = visitor();
    const category = catalog.ropa.slug;

    const algodon = await shop.products.list({ category, q: 'algodón' });
    const condor = await shop.products.list({ category, q: 'cóndor' });
    const expensive = await shop.products.list({ category, minPrice: 200_000 });
    const cheap = await shop.products.list({ category, maxPrice: 155_000 });
    const inStock = await shop.products.list({ category, inStock: true });

    expect(names(algodon.items)).to.have.members(['Remera lisa', 'Pantalón cargo']);
    expect(names(condor.items)).to.deep.equal(['Remera estampada']);
    expect(names(expensive.items)).to.have.members(['Remera estampada', 'Pantalón cargo']);
    expect(names(cheap.items)).to.deep.equal(['Remera lisa']);
    expect(names(inStock.items)).to.have.members(['Remera lisa', 'Remera estampada']);
  });

  it('When a visitor pages through a sorted listing, then every page carries the total', async () => {
    const shop = visitor();
    const category = catalog.ropa.slug;

    const first = await shop.products.list({ category, sort: 'price', limit: 2, offset: 0 });
    const second = await shop.products.list({ category, sort: 'price', limit: 2, offset: 2 });
    const byName = await shop.products.list({ category, sort: 'name' });
    const dearest = await shop.products.list({ category, sort: '-price', limit: 1 });

    expect([first.total, second.total]).to.deep.equal([3, 3]);
    expect(names([...first.items, ...second.items])).to.deep.equal([
      'Remera lisa',
      'Remera estampada',
      'Pantalón cargo',
    ]);
    expect(names(byName.items)).to.deep.equal(['Pantalón cargo', 'Remera estampada', 'Remera lisa']);
    expect(names(dearest.items)).to.deep.equal(['Pantalón cargo']);
  });

  it('When the admin restocks a variant, then visitors see it available and the ledger accounts for it', async () => {
    const variant = catalog.cargo.variants[0]!;

    await admin.products.adjustStock(catalog.cargo.id, variant.id, { delta: 4, note: 'llegó mercadería' });
    // The gateway keeps a visitor's read for a second (its micro-cache).
    const seen = await eventually(async () => {
      const product = await visitor().products.get(catalog.cargo.slug);
      return product.variants[0]!.available > 0 && product;
    }, 'the restock to show');
    const ledger = await admin.products.stockLedger(catalog.cargo.id, variant.id);
    const inStock = await eventually(async () => {
      const page = await visitor().products.list({ category: catalog.pantalones.slug, inStock: true });
      return page.total > 0 && page;
    }, 'the restocked product to list as in stock');

    expect(seen.variants[0]!.available).to.equal(4);
    expect(ledger.movements.items.map((movement) => [movement.reason, movement.deltaOnHand])).to.deep.equal([
      ['adjustment', 4],
    ]);
    expect([ledger.onHand, ledger.ledgerOnHand]).to.deep.equal([4, 4]);
    expect(names(inStock.items)).to.deep.equal(['Pantalón cargo']);
  });

  it('When order-service reserves, commits and releases stock, then availability and the ledger follow', async () => {
    const { serviceSecret } = await stackSecrets();
    const products = new ProductServiceClient({
      baseUrl: instanceUrls('product-service'),
      caller: 'order-service',
      secret: serviceSecret,
    });
    const [small] = catalog.lisa.variants;
    const [estampada] = catalog.estampada.variants;
    const sold = randomUUID();
    const abandoned = randomUUID();

    await products.reserve(sold, [{ variantId: small!.id, quantity: 2 }]);
    await products.reserve(abandoned, [{ variantId: estampada!.id, quantity: 3 }]);
    const tooMany = await failureOf(
      products.reserve(randomUUID(), [{ variantId: estampada!.id, quantity: 1 }]),
    );
    await products.commit(sold);
    await products.release(abandoned);
    const lookup = await products.lookupVariants([small!.id, estampada!.id]);

    expect([tooMany.status, tooMany.slug]).to.deep.equal([409, 'out-of-stock']);
    expect(lookup.items.map((item) => [item.sku, item.available])).to.have.deep.members([
      [small!.sku, 3],
      [estampada!.sku, 3],
    ]);
    const ledger = await admin.products.stockLedger(catalog.lisa.id, small!.id);
    expect(ledger.movements.items.map((movement) => movement.reason)).to.deep.equal([
      'commit',
      'reserve',
      'initial',
    ]);
    expect([ledger.onHand, ledger.reserved, ledger.ledgerOnHand, ledger.ledgerReserved]).to.deep.equal([
      3, 0, 3, 0,
    ]);
  });

  it('When the admin archives a product, then it leaves listings but stays readable by id', async () => {
    await admin.products.archive(catalog.estampada.id);

    // The gateway keeps an anonymous listing for a second (its micro-cache).
    const listed = await eventually(async () => {
      const page = await visitor().products.list({ category: catalog.ropa.slug });
      return names(page.items).includes('Remera estampada') ? undefined : page;
    }, 'the listing without the archived product');
    const byId = await visitor().products.get(catalog.estampada.id);

    expect(names(listed.items)).to.not.include('Remera estampada');
    expect(listed.total).to.equal(2);
    expect(byId.status).to.equal('archived');
  });

  describe('mistakes get problem+json and change nothing', () => {
    it('When a visitor or a customer tries to edit the catalog, then 401 and 403', async () => {
      const anonymous = await failureOf(visitor().categories.create({ name: 'Hack', slug: 'hack' }));
      const customer = await failureOf((await signedUpShopper()).products.archive(catalog.lisa.id));

      expect([anonymous.status, customer.status]).to.deep.equal([401, 403]);
      expect((await visitor().products.get(catalog.lisa.id)).status).to.equal('active');
    });

    it('When the admin repeats a SKU, gives a negative price or deletes a full category, then 409, 400, 409', async () => {
      const before = await admin.products.list({ category: catalog.ropa.slug, status: 'active' });
      const sku = catalog.lisa.variants[0]!.sku;

      const duplicate = await failureOf(
        admin.products.create({ name: 'Copia', variants: [{ sku: sku.toLowerCase(), price: ars(1) }] }),
      );
      const negative = await failureOf(
        admin.products.create({ name: 'Gratis', variants: [{ sku: 'NEGATIVE-1', price: ars(-1) }] }),
      );
      const full = await failureOf(admin.categories.delete(catalog.remeras.id));

      expect([duplicate.status, negative.status, full.status]).to.deep.equal([409, 400, 409]);
      expect(duplicate.slug).to.equal('duplicate-sku');
      const invalid = negative.extensions.invalidParams as InvalidParam[];
      expect(invalid.map((param) => param.name)).to.include('variants.0.price.amount');
      const after = await admin.products.list({ category: catalog.ropa.slug, status: 'active' });
      expect(after.total).to.equal(before.total);
    });

    it('When a visitor asks for an unknown product or an invalid filter, then 404 and 400', async () => {
      const unknown = await failureOf(visitor().products.get(randomUUID()));
      const badFilter = await request(`${gatewayUrl()}/api/products?minPrice=cheap&sort=random`);
      const problem = (await badFilter.body.json()) as { invalidParams: Array<{ name: string }> };

      expect(unknown.status).to.equal(404);
      expect(badFilter.statusCode).to.equal(400);
      expect(problem.invalidParams.map((param) => param.name)).to.have.members(['minPrice', 'sort']);
    });
  });

  it('When a product-service instance dies, then the catalog and reservations keep working', async () => {
    await killInstance('product-service#1');
    const { serviceSecret } = await stackSecrets();
    const products = new ProductServiceClient({
      baseUrl: instanceUrls('product-service'),
      caller: 'order-service',
      secret: serviceSecret,
    });

    // Past the gateway's micro-cache, so that every read reaches a product-service instance.
    const listings = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const answer = await request(`${gatewayUrl()}/api/products?category=${catalog.ropa.slug}`, {
          headers: { 'cache-control': 'no-cache' },
        });
        return (await answer.body.json()) as { total: number };
      }),
    );
    const reservation = await products.reserve(randomUUID(), [
      { variantId: catalog.cargo.variants[0]!.id, quantity: 1 },
    ]);

    expect(listings.map((page) => page.total)).to.deep.equal([2, 2, 2, 2]);
    expect(reservation.status).to.equal('active');
  });
});
