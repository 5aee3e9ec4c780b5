import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Page, Product } from '@escalable/shop-sdk';
import { PREPARED_PER_CONNECTION } from '../src/db/prepared-statements.js';
import {
  call,
  givenCategory,
  givenProduct,
  productService,
  unique,
  type Answer,
  type ProblemBody,
} from './harness.js';

type Listing = Page<Product>;

/** The connections of the pool the harness opens (`openDatabase(url, 10, …)`). */
const POOL_SIZE = 10;

interface ShelfItem {
  id: string;
  name: string;
  price: number;
  stock: number;
}

/**
 * A category of its own holding five products whose names (mixed case), prices and stock each put them
 * in another order, created one after the other so `newest` has an order too.
 */
async function givenShelf(url: string) {
  const category = await givenCategory(url);
  const word = unique('shelf');
  const items: ShelfItem[] = [];
  for (const [name, price, stock] of [
    ['Gamma', 3000, 5],
    ['alpha', 1000, 0],
    ['Echo', 5000, 3],
    ['beta', 2000, 0],
    ['Delta', 4000, 1],
  ] as const) {
    const product = await givenProduct(url, {
      name: `${name} ${word}`,
      categoryIds: [category.id],
      variants: [{ sku: unique('SKU'), price: { amount: price, currency: 'ARS' }, stock }],
    });
    items.push({ id: product.id, name: product.name, price, stock });
  }
  return { category, items };
}

interface Shape {
  sort: 'newest' | 'price' | '-price' | 'name' | '-name';
  minPrice?: number;
  maxPrice?: number;
  inStock?: true;
  categoryBy: 'id' | 'slug';
  limit: number;
}

/** Every listing shape the prepared path runs for one category: each limit is a statement of its own. */
function listingShapes(limits: number[]): Shape[] {
  const shapes: Shape[] = [];
  for (const limit of limits)
    for (const sort of ['newest', 'price', '-price', 'name', '-name'] as const)
      for (const bounds of [{}, { minPrice: 1500 }, { maxPrice: 4500 }, { minPrice: 1500, maxPrice: 4500 }])
        for (const inStock of [undefined, true] as const)
          for (const categoryBy of ['id', 'slug'] as const)
            shapes.push({ sort, ...bounds, ...(inStock ? { inStock } : {}), categoryBy, limit });
  return shapes;
}

/** The ids the listing of `shape` must show, worked out from the shelf as the test wrote it. */
function expectedIds(items: ShelfItem[], shape: Shape): string[] {
  const created = items.map((item, index) => ({ ...item, created: index }));
  const byName = (a: ShelfItem, b: ShelfItem) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());
  const order: Record<Shape['sort'], (a: (typeof created)[0], b: (typeof created)[0]) => number> = {
    newest: (a, b) => b.created - a.created,
    price: (a, b) => a.price - b.price,
    '-price': (a, b) => b.price - a.price,
    name: byName,
    '-name': (a, b) => byName(b, a),
  };
  return created
    .filter((item) => shape.minPrice === undefined || item.price >= shape.minPrice)
    .filter((item) => shape.maxPrice === undefined || item.price <= shape.maxPrice)
    .filter((item) => !shape.inStock || item.stock > 0)
    .sort(order[shape.sort])
    .slice(0, shape.limit)
    .map((item) => item.id);
}

function listingPath(shape: Shape, category: { id: string; slug: string }): string {
  const { categoryBy, ...query } = shape;
  const params = new URLSearchParams(
    Object.entries({ ...query, category: category[categoryBy] }).map(([key, value]) => [key, String(value)]),
  );
  return `/api/products?${params}`;
}

/** Lists every shape, `inFlight` at a time, and answers what went wrong: nothing when all were right. */
async function listEach(
  url: string,
  shelf: Awaited<ReturnType<typeof givenShelf>>,
  shapes: Shape[],
  inFlight: number,
): Promise<string[]> {
  const wrong: string[] = [];
  for (let start = 0; start < shapes.length; start += inFlight) {
    await Promise.all(
      shapes.slice(start, start + inFlight).map(async (shape) => {
        const path = listingPath(shape, shelf.category);
        const answer = await call<Listing>(url, 'GET', path);
        const ids = answer.status === 200 ? answer.body.items.map((item) => item.id) : undefined;
        if (answer.status !== 200) wrong.push(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
        else if (JSON.stringify(ids) !== JSON.stringify(expectedIds(shelf.items, shape)))
          wrong.push(`${path}: wrong products`);
      }),
    );
  }
  return wrong;
}

describe('Listing statements prepared on each connection', () => {
  it('When more listing shapes are listed than the pool keeps prepared, then the earliest ones listed again still answer 200 with the right products', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);
    const shapes = listingShapes([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shapes.length).to.be.greaterThan(PREPARED_PER_CONNECTION * POOL_SIZE);

    // A whole pool at a time, every connection of the pool prepares more than it keeps and evicts its
    // earliest; the earliest listed again land on connections that prepared and evicted some of them.
    const first = await listEach(url, shelf, shapes, POOL_SIZE);
    const again = await listEach(url, shelf, shapes.slice(0, 200), POOL_SIZE);

    expect({ first, again }).to.deep.equal({ first: [], again: [] });
  });
});

function expectProblemNaming(answer: Answer<ProblemBody>, status: number, parameter: string): void {
  expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
  expect(String(answer.headers['content-type'])).to.match(/^application\/problem\+json/);
  expect(answer.body.invalidParams.map((invalid) => invalid.name)).to.include(parameter);
}

describe('Hostile listing queries', () => {
  const refused: Array<[string, string]> = [
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=1e3', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=20%20OR%201%3D1', 'limit'],
    ['limit=20;DROP%20TABLE%20products', 'limit'],
    [`limit=${'9'.repeat(5_000)}`, 'limit'],
    ['limit=0x10', 'limit'],
    ['limit=', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['offset=1000001', 'offset'],
    ['offset=-1', 'offset'],
    ['offset=1e3', 'offset'],
    ['offset=1.5', 'offset'],
    ['offset=0&offset=0', 'offset'],
    [`offset=${'1'.repeat(5_000)}`, 'offset'],
    ['minPrice=2147483648', 'minPrice'],
    ['maxPrice=1e9', 'maxPrice'],
    ['minPrice=5&maxPrice=4', 'minPrice'],
    ['inStock=maybe', 'inStock'],
    ['category=a%27b%22c', 'category'],
    ["category=x'%20OR%20'1'%3D'1", 'category'],
    ['category=calzado-%C3%B1', 'category'],
    ['category=%E2%80%AE%F0%9F%91%9F', 'category'],
    [`category=${'a'.repeat(121)}`, 'category'],
    [`category=${'a'.repeat(5_000)}`, 'category'],
    ['category=shoes&category=boots', 'category'],
    ['category=shoes%00', 'category'],
    ['category=Calzado', 'category'],
    ['sort=price%3B', 'sort'],
    ['sort=relevance', 'sort'],
    ['after=%27%3B--', 'after'],
    [`after=${Buffer.from('{"sort":"newest","position":["x","y"]}').toString('base64url')}`, 'after'],
    ['limit[]=1', 'limit[]'],
  ];
  for (const [query, parameter] of refused) {
    it(`When a listing is asked with ${query.slice(0, 60)}, then 400 problem+json naming ${parameter}`, async () => {
      const { url } = await productService();

      const answer = await call<ProblemBody>(url, 'GET', `/api/products?${query}`);

      expectProblemNaming(answer, 400, parameter);
    });
  }

  it('When a listing is asked at its bounds (limit 1 and 100, offset 1 000 000, prices 0 and 2147483647), then 200', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);
    const category = `category=${shelf.category.slug}`;

    const answers = await Promise.all(
      [
        `${category}&limit=1`,
        `${category}&limit=100`,
        `${category}&offset=1000000`,
        `${category}&limit=100&offset=1000000&sort=-price`,
        `${category}&minPrice=0&maxPrice=2147483647`,
        `${category}&limit=007`,
      ].map((query) => call<Listing>(url, 'GET', `/api/products?${query}`)),
    );

    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200, 200, 200, 200]);
    expect(answers.map((answer) => answer.body.items.length)).to.deep.equal([1, 5, 0, 0, 5, 5]);
    expect(answers[5]!.body.limit).to.equal(7);
  });

  it('When the category is a slug or an id no category has, then 404 problem+json, at once and again', async () => {
    const { url } = await productService();

    const answers = [];
    for (const category of [unique('nowhere'), unique('nowhere'), randomUUID()]) {
      for (let time = 0; time < 2; time++) {
        answers.push(await call<ProblemBody>(url, 'GET', `/api/products?category=${category}`));
      }
    }

    expect(answers.map((answer) => answer.status)).to.deep.equal([404, 404, 404, 404, 404, 404]);
    expect(answers.every((answer) => /problem\+json/.test(String(answer.headers['content-type'])))).to.equal(
      true,
    );
  });

  it('When a visitor walks offsets 0 to 199 of a category, then each page answers 200 with what is at that offset', async () => {
    const { url } = await productService();
    const shelf = await givenShelf(url);
    const newest = shelf.items.map((item) => item.id).reverse();

    const wrong: string[] = [];
    for (let offset = 0; offset < 200; offset += 10) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_unused, step) =>
          call<Listing>(
            url,
            'GET',
            `/api/products?category=${shelf.category.id}&limit=2&offset=${offset + step}`,
          ),
        ),
      );
      answers.forEach((answer, step) => {
        const expected = newest.slice(offset + step, offset + step + 2);
        if (answer.status !== 200) wrong.push(`offset ${offset + step}: ${answer.status}`);
        else if (JSON.stringify(answer.body.items.map((item) => item.id)) !== JSON.stringify(expected))
          wrong.push(`offset ${offset + step}: wrong products`);
      });
    }

    expect(wrong).to.deep.equal([]);
  });
});
