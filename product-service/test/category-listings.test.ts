import { expect } from 'chai';
import type { Category, CursorPage, Product, ProductSort } from '@escalable/shop-sdk';
import { adminToken, call, givenCategory, givenProduct, productService, unique } from './harness.js';

type Listing = CursorPage<Product>;

const SORTS: ProductSort[] = ['newest', 'price', '-price', 'name', '-name'];

/** A product on sale in these categories, with a name starting `word` and one variant per price. */
function givenProductIn(
  url: string,
  categories: Category[],
  word: string,
  prices: number[] = [1_000],
): Promise<Product> {
  return givenProduct(url, {
    name: `${word} ${unique('shelf')}`,
    categoryIds: categories.map((category) => category.id),
    variants: prices.map((amount) => ({ sku: unique('SKU'), price: { amount, currency: 'ARS' }, stock: 2 })),
  });
}

async function listCategory(url: string, category: Category, query = ''): Promise<Listing> {
  const answer = await call<Listing>(url, 'GET', `/api/products?category=${category.slug}&limit=50${query}`, {
    token: adminToken(),
  });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
  return answer.body;
}

const ids = (listing: Listing) => listing.items.map((product) => product.id);
const byId = (a: Product, b: Product) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const lowestActive = (product: Product) =>
  Math.min(...product.variants.filter((v) => v.status === 'active').map((v) => v.price.amount));

/**
 * The order a sort promises, worked out from what the products say of themselves; `products` in the
 * order they were created, which newest follows (their timestamps have more digits than JSON shows).
 */
function sortedAs(sort: ProductSort, products: Product[]): string[] {
  const key = (product: Product): string | number =>
    sort === 'newest'
      ? products.indexOf(product)
      : sort === 'name' || sort === '-name'
        ? product.name.toLowerCase()
        : (product.fromPrice?.amount ?? Number.MAX_SAFE_INTEGER);
  const ascending = [...products].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : byId(a, b);
  });
  return (sort === 'newest' || sort.startsWith('-') ? ascending.reverse() : ascending).map((p) => p.id);
}

/** Every page of a sort, walked by cursor one product at a time. */
async function walk(url: string, category: Category, sort: ProductSort): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null | undefined;
  do {
    const cursor = after ? `&after=${after}` : '';
    const answer = await call<Listing>(
      url,
      'GET',
      `/api/products?category=${category.slug}&sort=${sort}&limit=1${cursor}`,
    );
    seen.push(...ids(answer.body));
    after = answer.body.nextCursor;
  } while (after && seen.length < 20);
  return seen;
}

/** root ⊃ child ⊃ grandchild, and a category beside them. */
async function givenTree(url: string) {
  const root = await givenCategory(url);
  const child = await givenCategory(url, { parentId: root.id });
  const grandchild = await givenCategory(url, { parentId: child.id });
  const beside = await givenCategory(url);
  return { root, child, grandchild, beside };
}

describe('Category listings with their subcategories', () => {
  it('When a parent category is listed, then every product below it is there once, in the order of every sort, page by page too', async () => {
    const { url } = await productService();
    const { root, child, grandchild, beside } = await givenTree(url);
    const products = [
      await givenProductIn(url, [root], 'delta', [400, 900]),
      await givenProductIn(url, [child], 'alpha', [300]),
      await givenProductIn(url, [grandchild], 'echo', [100]),
      await givenProductIn(url, [child, grandchild], 'charlie', [500]),
    ];
    await givenProductIn(url, [beside], 'bravo', [200]);

    for (const sort of SORTS) {
      const listing = await listCategory(url, root, `&sort=${sort}`);
      const walked = await walk(url, root, sort);

      expect(ids(listing), sort).to.deep.equal(sortedAs(sort, products));
      expect(listing.total, sort).to.equal(4);
      expect(walked, `${sort} by cursor`).to.deep.equal(sortedAs(sort, products));
    }
    const searched = await listCategory(url, root, '&q=delta');
    expect(ids(searched)).to.deep.equal([products[0]!.id]);
  });

  it('When a product joins or leaves subcategories, then the parent listing gains it and loses it only when no subcategory holds it', async () => {
    const { url } = await productService();
    const { root, child, grandchild } = await givenTree(url);
    const product = await givenProductIn(url, [], 'roaming');
    const setCategories = (categories: Category[]) =>
      call(url, 'PATCH', `/api/products/${product.id}`, {
        token: adminToken(),
        body: { categoryIds: categories.map((category) => category.id) },
      });

    const before = await listCategory(url, root);
    await setCategories([child, grandchild]);
    const inBoth = await listCategory(url, root);
    await setCategories([child]);
    const inChild = await listCategory(url, root);
    const grandchildAfter = await listCategory(url, grandchild);
    await setCategories([]);
    const inNone = await listCategory(url, root);

    expect(ids(before)).to.deep.equal([]);
    expect(ids(inBoth)).to.deep.equal([product.id]);
    expect(ids(inChild)).to.deep.equal([product.id]);
    expect(ids(grandchildAfter)).to.deep.equal([]);
    expect(ids(inNone)).to.deep.equal([]);
  });

  it('When a category moves under another parent, then its products and its subcategories’ leave the old parent’s listing and join the new one’s', async () => {
    const { url } = await productService();
    const { root, child, grandchild } = await givenTree(url);
    const elsewhere = await givenCategory(url);
    const inChild = await givenProductIn(url, [child], 'near', [200]);
    const inGrandchild = await givenProductIn(url, [grandchild], 'far', [100]);
    const move = (parentId: string | null) =>
      call(url, 'PATCH', `/api/categories/${child.id}`, { token: adminToken(), body: { parentId } });

    const moved = await move(elsewhere.id);
    const oldParent = await listCategory(url, root, '&sort=price');
    const newParent = await listCategory(url, elsewhere, '&sort=price');
    await move(null);
    const afterToTop = await listCategory(url, elsewhere);
    const childItself = await listCategory(url, child, '&sort=price');

    expect(moved.status).to.equal(200);
    expect(ids(oldParent)).to.deep.equal([]);
    expect(ids(newParent)).to.deep.equal([inGrandchild.id, inChild.id]);
    expect(ids(afterToTop)).to.deep.equal([]);
    expect(ids(childItself)).to.deep.equal([inGrandchild.id, inChild.id]);
  });

  it('When a variant is repriced, then the parent listing’s price order and price range follow', async () => {
    const { url } = await productService();
    const { root, grandchild } = await givenTree(url);
    const cheap = await givenProductIn(url, [grandchild], 'cheap', [100]);
    const dear = await givenProductIn(url, [grandchild], 'dear', [900]);

    await call(url, 'PATCH', `/api/products/${cheap.id}/variants/${cheap.variants[0]!.id}`, {
      token: adminToken(),
      body: { price: { amount: 2_000, currency: 'ARS' } },
    });
    const byPrice = await listCategory(url, root, '&sort=price');
    const byPriceDown = await listCategory(url, root, '&sort=-price');
    const inRange = await listCategory(url, root, '&sort=price&minPrice=1500&maxPrice=2500');

    expect(ids(byPrice)).to.deep.equal([dear.id, cheap.id]);
    expect(ids(byPriceDown)).to.deep.equal([cheap.id, dear.id]);
    expect(ids(inRange)).to.deep.equal([cheap.id]);
  });

  it('When a product is renamed or archived, then the parent listing’s name order and statuses follow', async () => {
    const { url } = await productService();
    const { root, child } = await givenTree(url);
    const first = await givenProductIn(url, [child], 'aaa');
    const second = await givenProductIn(url, [child], 'bbb');

    await call(url, 'PATCH', `/api/products/${first.id}`, {
      token: adminToken(),
      body: { name: `zzz ${unique('renamed')}` },
    });
    const renamed = await listCategory(url, root, '&sort=name');
    await call(url, 'POST', `/api/products/${second.id}/archive`, { token: adminToken() });
    const active = await listCategory(url, root, '&sort=name');
    const archived = await listCategory(url, root, '&sort=name&status=archived');

    expect(ids(renamed)).to.deep.equal([second.id, first.id]);
    expect(ids(active)).to.deep.equal([first.id]);
    expect(ids(archived)).to.deep.equal([second.id]);
  });

  it('When a product’s name or description changes, then a search in its parent category finds it by its new words only', async () => {
    const { url } = await productService();
    const { root, child } = await givenTree(url);
    const [before, renamedTo, describedAs] = [unique('antes'), unique('nuevo'), unique('tejido')];
    const product = await givenProductIn(url, [child], before);
    const other = await givenProductIn(url, [child], 'otro');
    const found = async (word: string) => {
      const listing = await listCategory(url, root, `&q=${word}&sort=relevance`);
      return { ids: ids(listing), total: listing.total };
    };
    expect(await found(before)).to.deep.equal({ ids: [product.id], total: 1 });

    await call(url, 'PATCH', `/api/products/${product.id}`, {
      token: adminToken(),
      body: { name: `${renamedTo} ${unique('shelf')}` },
    });
    await call(url, 'PATCH', `/api/products/${other.id}`, {
      token: adminToken(),
      body: { description: `Un ${describedAs} liviano` },
    });

    expect(await found(before)).to.deep.equal({ ids: [], total: 0 });
    expect(await found(renamedTo)).to.deep.equal({ ids: [product.id], total: 1 });
    expect(await found(describedAs)).to.deep.equal({ ids: [other.id], total: 1 });
  });

  it('When prices change and a category moves between parents concurrently with listings, then each listing holds the category whole or not at all, priced by its variants', async () => {
    const { url } = await productService();
    const left = await givenCategory(url);
    const right = await givenCategory(url);
    const moving = await givenCategory(url, { parentId: left.id });
    const products = await Promise.all(
      ['a', 'b', 'c', 'd'].map((word) => givenProductIn(url, [moving], word, [500, 600, 700])),
    );
    const mine = new Set(products.map((product) => product.id));
    let seed = 11;
    const nextPrice = () => (seed = (seed * 48_271) % 2_147_483_647) % 10_000;
    /** Whole or absent, and in price order as the listed variants justify it. */
    const expectConsistent = (listing: Listing, label: string) => {
      const held = listing.items.filter((product) => mine.has(product.id));
      expect([0, products.length], `${label}: the category whole or absent`).to.include(held.length);
      for (const product of held) {
        expect(product.fromPrice?.amount, `${label}: from price`).to.equal(lowestActive(product));
      }
      expect(ids(listing), `${label}: price order`).to.deep.equal(sortedAs('price', listing.items));
    };

    for (let round = 0; round < 12; round += 1) {
      const target = round % 2 === 0 ? right : left;
      const changes = products.flatMap((product) =>
        product.variants.map((v) =>
          call(url, 'PATCH', `/api/products/${product.id}/variants/${v.id}`, {
            token: adminToken(),
            body: { price: { amount: nextPrice(), currency: 'ARS' } },
          }),
        ),
      );
      const moved = call(url, 'PATCH', `/api/categories/${moving.id}`, {
        token: adminToken(),
        body: { parentId: target.id },
      });
      const [answers, move, duringLeft, duringRight] = await Promise.all([
        Promise.all(changes),
        moved,
        listCategory(url, left, '&sort=price'),
        listCategory(url, right, '&sort=price'),
      ]);
      const [afterTarget, afterOther] = await Promise.all([
        listCategory(url, target, '&sort=price'),
        listCategory(url, target === left ? right : left, '&sort=price'),
      ]);

      expect(answers.map((answer) => answer.status).concat(move.status)).to.satisfy((statuses: number[]) =>
        statuses.every((status) => status === 200),
      );
      expectConsistent(duringLeft, `round ${round}, left during`);
      expectConsistent(duringRight, `round ${round}, right during`);
      expect(ids(afterTarget).filter((id) => mine.has(id))).to.have.lengthOf(products.length);
      expect(ids(afterOther).filter((id) => mine.has(id))).to.deep.equal([]);
      expectConsistent(afterTarget, `round ${round}, after`);
    }
  });
});
