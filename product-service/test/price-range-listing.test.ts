import { expect } from 'chai';
import type { CursorPage, Product } from '@escalable/shop-sdk';
import { NARROW_PRICE_RANGE_LIMIT } from '../src/db/product-listing.js';
import { call, givenCategory, productService } from './harness.js';
import { ndjson, postImport, runPrefix } from './catalog-import-harness.js';

type Listing = CursorPage<Product>;

/** More products than a narrow range holds, so the whole band is a wide range. */
const BAND_SIZE = NARROW_PRICE_RANGE_LIMIT + 200;
/** Prices no other test uses (ARS 70 000.00 and up), one per product, 100 apart. */
const BAND_START = 7_000_000;
const NARROW = { minPrice: BAND_START, maxPrice: BAND_START + 49 * 100 };
const WIDE = { minPrice: BAND_START, maxPrice: BAND_START + BAND_SIZE * 100 };

interface Shown {
  id: string;
  name: string;
  price: number;
  inStock: boolean;
}

/**
 * The band's products, imported at once: names, prices and the import's order each put them in another
 * order, and one in three is sold out.
 */
async function givenBand(url: string) {
  const category = await givenCategory(url);
  const prefix = runPrefix('band');
  const lines = Array.from({ length: BAND_SIZE }, (_, index) => ({
    name: `${prefix} ${String((index * 7_919) % BAND_SIZE).padStart(4, '0')}`,
    slug: `${prefix}-${index}`,
    status: 'active' as const,
    categories: [category.slug],
    variants: [
      {
        sku: `${prefix}-${index}`,
        options: { talle: 'M' },
        price: { amount: BAND_START + ((index * 37) % BAND_SIZE) * 100, currency: 'ARS' },
        stock: index % 3 === 0 ? 0 : 4,
      },
    ],
  }));
  const imported = await postImport(url, ndjson(lines));
  expect(imported.status, JSON.stringify(imported.body).slice(0, 300)).to.equal(200);
  return category;
}

/** Every page of `query`, following nextCursor: the products in the order shown, and the first page. */
async function walk(url: string, query: string): Promise<{ items: Product[]; first: Listing }> {
  const items: Product[] = [];
  let first: Listing | undefined;
  let after = '';
  for (;;) {
    const page = await call<Listing>(url, 'GET', `/api/products?${query}&limit=100${after}`);
    expect(page.status, `${query}: ${JSON.stringify(page.body).slice(0, 300)}`).to.equal(200);
    first ??= page.body;
    items.push(...page.body.items);
    if (!page.body.nextCursor) return { items, first };
    after = `&after=${page.body.nextCursor}`;
  }
}

const shownOf = (product: Product): Shown => ({
  id: product.id,
  name: product.name,
  price: product.fromPrice!.amount,
  inStock: product.variants.some((variant) => variant.available > 0),
});

const byId = (a: Shown, b: Shown) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
// The band's names differ only in their digits, so every collation orders them alike.
const byName = (a: Shown, b: Shown) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || byId(a, b);
const ORDERS = {
  // One import, one transaction: the band shares its creation time, and newest is by id after it.
  newest: (a: Shown, b: Shown) => byId(b, a),
  name: byName,
  '-name': (a: Shown, b: Shown) => byName(b, a),
};

describe('Listing by a price range, narrow or wide', function () {
  this.timeout(120_000);

  it('When the sorts with an index of their own list a narrow and a wide price range, with and without category and stock filter, then every page holds the matches in order, each once', async () => {
    const { url, db } = await productService();
    const category = await givenBand(url);
    // The planner judges a range narrow or wide by the statistics of the tables.
    await db.sequelize.query('ANALYZE products, variants, category_listings');
    const band = (await walk(url, `category=${category.slug}&sort=price`)).items.map(shownOf);
    expect(band).to.have.lengthOf(BAND_SIZE);

    const wrong: string[] = [];
    for (const [rangeName, range] of Object.entries({ narrow: NARROW, wide: WIDE }))
      for (const [sort, order] of Object.entries(ORDERS))
        for (const inStock of [false, true])
          for (const inCategory of [true, false]) {
            const query = [
              inCategory ? `category=${category.slug}` : '',
              `sort=${sort}`,
              `minPrice=${range.minPrice}&maxPrice=${range.maxPrice}`,
              inStock ? 'inStock=true' : '',
            ]
              .filter(Boolean)
              .join('&');
            const expected = band
              .filter((product) => product.price >= range.minPrice && product.price <= range.maxPrice)
              .filter((product) => !inStock || product.inStock)
              .sort(order)
              .map((product) => product.id);
            const { items, first } = await walk(url, query);
            if (JSON.stringify(items.map((item) => item.id)) !== JSON.stringify(expected))
              wrong.push(`${rangeName}: ${query}: ${items.length} shown, ${expected.length} expected`);
            // Counted exactly up to 500 matches, past them an estimate that says so.
            const totalRight =
              expected.length <= 500
                ? first.total === expected.length && !first.totalIsEstimate
                : first.totalIsEstimate || first.total === expected.length;
            if (!totalRight)
              wrong.push(`${rangeName}: ${query}: total ${first.total} for ${expected.length}`);
          }

    expect(wrong).to.deep.equal([]);
  });
});
