import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Category, CategoryDetail, CategoryNode } from '@escalable/shop-sdk';
import {
  adminToken,
  call,
  countRows,
  customerToken,
  givenCategory,
  givenProduct,
  productService,
  unique,
  type ProblemBody,
} from './harness.js';

function findNode(nodes: CategoryNode[], id: string): CategoryNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const found = findNode(node.children, id);
    if (found) return found;
  }
  return undefined;
}

describe('Categories', () => {
  it('When an admin builds a tree, then GET /api/categories nests it and a slug reads with its path', async () => {
    const { url } = await productService();
    const token = adminToken();
    const rootSlug = unique('ropa');

    const root = await call<Category>(url, 'POST', '/api/categories', {
      token,
      body: { name: 'Ropa', slug: rootSlug },
    });
    const child = await call<Category>(url, 'POST', '/api/categories', {
      token,
      body: { name: 'Remeras', slug: unique('remeras'), parentId: root.body.id },
    });
    const grandchild = await givenCategory(url, { name: 'Manga larga', parentId: child.body.id });
    const tree = await call<CategoryNode[]>(url, 'GET', '/api/categories');
    const detail = await call<CategoryDetail>(url, 'GET', `/api/categories/${child.body.slug}`);

    expect([root.status, child.status]).to.deep.equal([201, 201]);
    expect(root.headers.location).to.equal(`/api/categories/${rootSlug}`);
    expect(root.body).to.deep.equal({ id: root.body.id, name: 'Ropa', slug: rootSlug, parentId: null });
    const rootNode = findNode(tree.body, root.body.id)!;
    expect(tree.body.map((node) => node.id)).to.include(root.body.id);
    expect(rootNode.children.map((node) => node.id)).to.deep.equal([child.body.id]);
    expect(rootNode.children[0]!.children.map((node) => node.name)).to.deep.equal(['Manga larga']);
    expect(detail.status).to.equal(200);
    expect(detail.body.ancestors.map((node) => node.id)).to.deep.equal([root.body.id]);
    expect(detail.body.children.map((node) => node.id)).to.deep.equal([grandchild.id]);
  });

  it('When an admin renames and moves a category, then the tree follows', async () => {
    const { url } = await productService();
    const [from, to] = [await givenCategory(url), await givenCategory(url)];
    const moving = await givenCategory(url, { parentId: from.id });

    const answer = await call<Category>(url, 'PATCH', `/api/categories/${moving.id}`, {
      token: adminToken(),
      body: { name: 'Moved', parentId: to.id },
    });
    const tree = await call<CategoryNode[]>(url, 'GET', '/api/categories');

    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ name: 'Moved', parentId: to.id });
    expect(findNode(tree.body, from.id)!.children).to.deep.equal([]);
    expect(findNode(tree.body, to.id)!.children.map((node) => node.name)).to.deep.equal(['Moved']);
  });

  it('When a category would move below itself or its subcategory, then 409 and the tree stays', async () => {
    const { url } = await productService();
    const root = await givenCategory(url);
    const child = await givenCategory(url, { parentId: root.id });

    const belowChild = await call(url, 'PATCH', `/api/categories/${root.id}`, {
      token: adminToken(),
      body: { parentId: child.id },
    });
    const belowItself = await call(url, 'PATCH', `/api/categories/${root.id}`, {
      token: adminToken(),
      body: { parentId: root.id },
    });

    expect([belowChild.status, belowItself.status]).to.deep.equal([409, 409]);
    expect(belowChild.body.type).to.match(/category-cycle$/);
    expect((await call<CategoryDetail>(url, 'GET', `/api/categories/${root.slug}`)).body.parentId).to.equal(
      null,
    );
  });

  it('When a category still holds products, then deleting it is refused with 409 and it stays', async () => {
    const { url, db } = await productService();
    const category = await givenCategory(url);
    await givenProduct(url, { categoryIds: [category.id] });

    const answer = await call(url, 'DELETE', `/api/categories/${category.id}`, { token: adminToken() });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/category-not-empty$/);
    expect(answer.body.products).to.equal(1);
    expect(await countRows(db, 'categories', { id: category.id })).to.equal(1);
  });

  it('When a category has subcategories, then deleting it is refused with 409', async () => {
    const { url } = await productService();
    const parent = await givenCategory(url);
    await givenCategory(url, { parentId: parent.id });

    const answer = await call(url, 'DELETE', `/api/categories/${parent.id}`, { token: adminToken() });

    expect(answer.status).to.equal(409);
    expect(answer.body.type).to.match(/category-has-children$/);
  });

  it('When an empty leaf is deleted, then 204 and its slug is gone', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);

    const answer = await call(url, 'DELETE', `/api/categories/${category.id}`, { token: adminToken() });
    const readBack = await call(url, 'GET', `/api/categories/${category.slug}`);

    expect([answer.status, readBack.status]).to.deep.equal([204, 404]);
  });

  it('When a slug is taken or malformed, or the parent is unknown, then 409, 400 and 404', async () => {
    const { url } = await productService();
    const existing = await givenCategory(url);

    const duplicate = await call(url, 'POST', '/api/categories', {
      token: adminToken(),
      body: { name: 'Dup', slug: existing.slug },
    });
    const malformed = await call(url, 'POST', '/api/categories', {
      token: adminToken(),
      body: { name: 'Bad', slug: 'Not A Slug' },
    });
    const orphan = await call(url, 'POST', '/api/categories', {
      token: adminToken(),
      body: { name: 'Orphan', slug: unique('orphan'), parentId: '6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c' },
    });
    const unknown = await call(url, 'DELETE', '/api/categories/6f1c1d3e-2f7b-4c55-9a3c-1d2e3f4a5b6c', {
      token: adminToken(),
    });

    expect([duplicate.status, malformed.status, orphan.status, unknown.status]).to.deep.equal([
      409, 400, 404, 404,
    ]);
    expect(duplicate.body.type).to.match(/duplicate-slug$/);
  });

  it('When a slug looks like a UUID, then 400 naming slug; it could never be found by slug', async () => {
    const { url, db } = await productService();
    const category = await givenCategory(url);
    const uuidShaped = randomUUID();

    const created = await call<ProblemBody>(url, 'POST', '/api/categories', {
      token: adminToken(),
      body: { name: 'Ropa', slug: uuidShaped },
    });
    const renamed = await call<ProblemBody>(url, 'PATCH', `/api/categories/${category.id}`, {
      token: adminToken(),
      body: { slug: uuidShaped },
    });

    expect([created.status, renamed.status]).to.deep.equal([400, 400]);
    expect(created.body.invalidParams.map((param) => param.name)).to.deep.equal(['slug']);
    expect(renamed.body.invalidParams.map((param) => param.name)).to.deep.equal(['slug']);
    expect(await countRows(db, 'categories', { slug: uuidShaped })).to.equal(0);
  });

  it('When a path parameter is malformed, then 400 names it; bad percent-encoding is 400 too', async () => {
    const { url } = await productService();

    const bySlug = await call<ProblemBody>(url, 'GET', '/api/categories/Bad_Slug');
    const byId = await call<ProblemBody>(url, 'DELETE', '/api/categories/42', { token: adminToken() });
    const undecodable = await call(url, 'GET', '/api/categories/%ZZ');

    expect([bySlug.status, byId.status, undecodable.status]).to.deep.equal([400, 400, 400]);
    expect(bySlug.body.invalidParams.map((param) => param.name)).to.deep.equal(['slug']);
    expect(byId.body.invalidParams.map((param) => param.name)).to.deep.equal(['id']);
    expect(undecodable.headers['content-type']).to.match(/^application\/problem\+json/);
  });

  it('When a body says it is gzip but is not, then 400 problem+json and nothing is written', async () => {
    const { url, db } = await productService();
    const slug = unique('gzip');

    const answer = await call(url, 'POST', '/api/categories', {
      token: adminToken(),
      rawBody: JSON.stringify({ name: 'Gzip', slug }),
      headers: { 'content-encoding': 'gzip' },
    });

    expect(answer.status).to.equal(400);
    expect(answer.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(await countRows(db, 'categories', { slug })).to.equal(0);
  });

  it('When a name holds a NUL character, then 400 naming it and nothing is written', async () => {
    const { url, db } = await productService();
    const slug = unique('nul');

    const answer = await call<ProblemBody>(url, 'POST', '/api/categories', {
      token: adminToken(),
      body: { name: 'Ro\u0000pa', slug },
    });

    expect(answer.status).to.equal(400);
    expect(answer.body.invalidParams).to.deep.equal([
      { in: 'body', name: 'name', reason: 'must not contain control characters' },
    ]);
    expect(await countRows(db, 'categories', { slug })).to.equal(0);
  });

  it('When a customer or nobody manages categories, then 403 and 401', async () => {
    const { url } = await productService();
    const category = await givenCategory(url);

    const customer = await call(url, 'DELETE', `/api/categories/${category.id}`, { token: customerToken() });
    const anonymous = await call(url, 'POST', '/api/categories', { body: { name: 'X', slug: unique('x') } });

    expect([customer.status, anonymous.status]).to.deep.equal([403, 401]);
  });
});
