import { expect } from 'chai';
import type { Category, Page, Product } from '@escalable/shop-sdk';
import { ndjson, postImport, runPrefix } from './catalog-import-harness.js';
import {
  adminToken,
  call,
  givenCategory,
  givenProduct,
  productService,
  unique,
  type Answer,
} from './harness.js';

type Listing = Page<Product>;

const listCategory = (url: string, category: string, query = '') =>
  call<Listing>(url, 'GET', `/api/products?category=${category}${query}`);

/** The ids a listing shows, after checking it answered 200. */
function idsOf(answer: Answer<Listing>): string[] {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
  return answer.body.items.map((item) => item.id);
}

async function renameSlug(url: string, category: Category, slug: string): Promise<void> {
  const answer = await call(url, 'PATCH', `/api/categories/${category.id}`, {
    token: adminToken(),
    body: { slug },
  });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
}

async function givenCategoryWithSlug(url: string, slug: string): Promise<Category> {
  const answer = await call<Category>(url, 'POST', '/api/categories', {
    token: adminToken(),
    body: { name: slug, slug },
  });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
  return answer.body;
}

/** A category holding one product of its own. */
async function givenStockedCategory(url: string) {
  const category = await givenCategory(url);
  const product = await givenProduct(url, { categoryIds: [category.id] });
  return { category, product };
}

describe('Listings of a category named by a slug that moves', () => {
  it('When a listed slug moves to a new category, then the next listing by that slug shows the new category’s products, and the old category lists under its new slug', async () => {
    const { url } = await productService();
    const a = await givenStockedCategory(url);
    const slug = a.category.slug;
    expect(idsOf(await listCategory(url, slug))).to.deep.equal([a.product.id]);

    const movedTo = unique('moved');
    await renameSlug(url, a.category, movedTo);
    const b = await givenCategoryWithSlug(url, slug);
    const bProduct = await givenProduct(url, { categoryIds: [b.id] });

    const bySlug = await listCategory(url, slug);
    const byMovedSlug = await listCategory(url, movedTo);
    expect([bySlug.status, byMovedSlug.status]).to.deep.equal([200, 200]);
    expect(idsOf(bySlug)).to.deep.equal([bProduct.id]);
    expect(bySlug.body.total).to.equal(1);
    expect(idsOf(byMovedSlug)).to.deep.equal([a.product.id]);
  });

  it('When a listed slug is renamed away or its category deleted, then listing by it answers 404 at once', async () => {
    const { url } = await productService();
    const a = await givenStockedCategory(url);
    const empty = await givenCategory(url);
    for (const category of [a.category.slug, empty.slug]) {
      expect((await listCategory(url, category)).status).to.equal(200);
    }

    await renameSlug(url, a.category, unique('away'));
    const deleted = await call(url, 'DELETE', `/api/categories/${empty.id}`, { token: adminToken() });
    expect(deleted.status).to.equal(204);

    const answers = [await listCategory(url, a.category.slug), await listCategory(url, empty.slug)];
    expect(answers.map((answer) => answer.status)).to.deep.equal([404, 404]);
    expect(answers.map((answer) => String(answer.headers['content-type']))).to.satisfy((types: string[]) =>
      types.every((type) => type.startsWith('application/problem+json')),
    );
  });

  it('When two categories swap slugs while their slugs are listed, then each listing shows one whole category or 404, never a mix and never 500', async () => {
    const { url } = await productService();
    const a = await givenStockedCategory(url);
    const b = await givenStockedCategory(url);
    const [first, second] = [a.category.slug, b.category.slug];
    const holds = new Map([
      [a.product.id, 'a'],
      [b.product.id, 'b'],
    ]);

    const seen: string[] = [];
    let swapping = true;
    const listings = (async () => {
      while (swapping) {
        const answers = await Promise.all(
          [first, second, first, second].map((slug) => listCategory(url, slug)),
        );
        for (const answer of answers) {
          if (answer.status === 404) seen.push('404');
          else if (answer.status !== 200) seen.push(`${answer.status} ${JSON.stringify(answer.body)}`);
          else
            seen.push(
              idsOf(answer)
                .map((id) => holds.get(id) ?? id)
                .join('+'),
            );
        }
      }
    })();
    try {
      for (let round = 0; round < 5; round++) {
        const parked = unique('parked');
        await renameSlug(url, a.category, parked);
        await renameSlug(url, b.category, round % 2 === 0 ? first : second);
        await renameSlug(url, a.category, round % 2 === 0 ? second : first);
        Object.assign(a.category, { slug: round % 2 === 0 ? second : first });
        Object.assign(b.category, { slug: round % 2 === 0 ? first : second });
      }
    } finally {
      swapping = false;
      await listings;
    }

    expect(new Set(seen)).to.satisfy((outcomes: Set<string>) =>
      [...outcomes].every((outcome) => ['a', 'b', '404'].includes(outcome)),
    );
    expect(seen.filter((outcome) => outcome !== '404').length).to.be.greaterThan(0);
    // The last round left the slugs swapped: each now lists the other category.
    expect(idsOf(await listCategory(url, first))).to.deep.equal([b.product.id]);
    expect(idsOf(await listCategory(url, second))).to.deep.equal([a.product.id]);
  });
});

describe('Listings while the catalog is imported', () => {
  it('When an import rewrites 1 000 products of a category while its pages are listed, then every page answers 200 from one side of the import, in price order', async () => {
    const { url } = await productService();
    const prefix = runPrefix('bulk');
    const category = await givenCategory(url);
    const catalog = (version: number) =>
      ndjson(
        Array.from({ length: 1_000 }, (_unused, index) => ({
          name: `v${version} ${prefix} ${index}`,
          slug: `${prefix}-${index}`,
          status: 'active',
          categories: [category.slug],
          variants: [
            {
              sku: `${prefix}-${index}`,
              price: { amount: version * 100_000 + ((index * 7919) % 1_000), currency: 'ARS' },
              stock: 1,
            },
          ],
        })),
      );
    const imported = await postImport(url, catalog(1));
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);

    const problems: string[] = [];
    const versionsSeen = new Set<string>();
    let importing = true;
    let listedDuringImport = 0;
    const listings = (async () => {
      for (let round = 0; importing; round++) {
        listedDuringImport += 4;
        const answers = await Promise.all(
          ['sort=price', 'sort=-price', 'sort=name&inStock=true', 'sort=newest&minPrice=100500'].map(
            (query, index) =>
              listCategory(
                url,
                category.slug,
                `&${query}&limit=50&offset=${(round * 50 + index * 100) % 1_000}`,
              ),
          ),
        );
        for (const answer of answers) {
          if (answer.status !== 200) {
            problems.push(`${answer.status} ${JSON.stringify(answer.body)}`);
            continue;
          }
          const versions = new Set(answer.body.items.map((item) => item.name.split(' ')[0]));
          versionsSeen.add([...versions].join('+'));
          for (const item of answer.body.items) {
            if (item.fromPrice?.amount !== item.variants[0]!.price.amount)
              problems.push(`${item.name}: fromPrice`);
          }
        }
        const byPrice = answers[0]!.body.items.map((item) => item.fromPrice!.amount);
        if (
          answers[0]!.status === 200 &&
          byPrice.some((price, index) => index > 0 && price < byPrice[index - 1]!)
        )
          problems.push('price order');
      }
    })();
    try {
      const reimported = await postImport(url, catalog(2));
      expect(reimported.status, JSON.stringify(reimported.body)).to.equal(200);
    } finally {
      importing = false;
      await listings;
    }

    expect(problems).to.deep.equal([]);
    expect(listedDuringImport, 'listings run while the import wrote').to.be.greaterThan(8);
    expect(
      [...versionsSeen].every((versions) => versions === 'v1' || versions === 'v2' || versions === ''),
    ).to.equal(true, [...versionsSeen].join(', '));
    const after = await listCategory(url, category.slug, '&sort=price&limit=100');
    expect(new Set(after.body.items.map((item) => item.name.split(' ')[0]))).to.deep.equal(new Set(['v2']));
  });
});
