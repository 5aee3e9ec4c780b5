import { z } from 'zod';
import { apiRoutes, openApiDocument, type ApiRoute } from '@escalable/shop-sdk/server';
import { catalogImportBody, importQuery } from './catalog-import.js';
import { categoryUpdate, newCategory } from './categories.js';
import {
  newProduct,
  newVariant,
  productKey,
  productListQuery,
  productUpdate,
  variantUpdate,
} from './products.js';
import { categoryId, productId, slug, variantId } from './schemas.js';
import { ledgerQuery, stockAdjustment } from './stock.js';

const variantParams = { id: productId, variantId };
const price = { amount: 1_299_900, currency: 'ARS' };

/** product-service's public routes, described with the schemas the routes parse. */
export const PRODUCT_API: ApiRoute[] = [
  ...apiRoutes({ tag: 'Catalog', access: 'optional-bearer' }, [
    {
      method: 'get',
      path: '/api/products',
      summary: 'List and search products',
      description:
        'Paged by `limit` and `offset`, or by the `after` cursor of the previous page for deep reads. ' +
        'Staff tokens may filter by `status` and see drafts and stock.',
      query: productListQuery,
      response: { status: 200, description: 'A page of products' },
      problems: [403],
    },
    {
      method: 'get',
      path: '/api/products/:idOrSlug',
      summary: 'Read one product by id or slug',
      params: { idOrSlug: productKey },
      response: { status: 200, description: 'The product with its variants' },
      problems: [404],
    },
  ]),
  ...apiRoutes({ tag: 'Catalog administration', access: 'bearer' }, [
    {
      method: 'post',
      path: '/api/products',
      summary: 'Create a product with its variants (catalog:write)',
      body: {
        schema: newProduct,
        example: {
          name: 'Zapatillas urbanas',
          description: 'Lona y suela de goma.',
          status: 'active',
          variants: [{ sku: 'ZAP-URB-42', options: { talle: '42' }, price, stock: 10 }],
        },
      },
      response: {
        status: 201,
        description: 'The new product',
        headers: { Location: { description: 'The new product' } },
      },
      problems: [403, 409, 422],
    },
    {
      method: 'patch',
      path: '/api/products/:id',
      summary: 'Change a product (catalog:write)',
      params: { id: productId },
      body: { schema: productUpdate, example: { name: 'Zapatillas urbanas de lona', status: 'active' } },
      response: { status: 200, description: 'The updated product' },
      problems: [403, 404, 409, 422],
    },
    {
      method: 'post',
      path: '/api/products/:id/archive',
      summary: 'Archive a product (catalog:write)',
      params: { id: productId },
      response: { status: 200, description: 'The archived product' },
      problems: [403, 404],
    },
    {
      method: 'post',
      path: '/api/products/:id/variants',
      summary: 'Add a variant (catalog:write)',
      params: { id: productId },
      body: { schema: newVariant, example: { sku: 'ZAP-URB-43', options: { talle: '43' }, price, stock: 4 } },
      response: { status: 201, description: 'The new variant' },
      problems: [403, 404, 409, 422],
    },
    {
      method: 'patch',
      path: '/api/products/:id/variants/:variantId',
      summary: 'Change a variant (catalog:write)',
      params: variantParams,
      body: { schema: variantUpdate, example: { price: { amount: 1_199_900, currency: 'ARS' } } },
      response: { status: 200, description: 'The updated variant' },
      problems: [403, 404, 409, 422],
    },
  ]),
  ...apiRoutes({ tag: 'Inventory', access: 'bearer' }, [
    {
      method: 'post',
      path: '/api/products/:id/variants/:variantId/stock-adjustments',
      summary: 'Correct a variant’s stock (inventory:write)',
      params: variantParams,
      body: { schema: stockAdjustment, example: { delta: -2, note: 'Dañadas en el depósito' } },
      response: { status: 200, description: 'The stock after the correction' },
      problems: [403, 404, 409],
    },
    {
      method: 'get',
      path: '/api/products/:id/variants/:variantId/stock-movements',
      summary: 'Read a variant’s stock ledger (inventory:write)',
      params: variantParams,
      query: ledgerQuery,
      response: { status: 200, description: 'A page of stock movements, newest first' },
      problems: [403, 404],
    },
  ]),
  {
    method: 'post',
    path: catalogImportBody.path,
    tag: 'Catalog administration',
    summary: 'Import the catalog in bulk, as NDJSON or CSV (catalog:write)',
    description:
      'One product per NDJSON line (the fields of POST /api/products, with `categories` as slugs), ' +
      'or the CSV columns of the import format. `dryRun=true` checks the file and writes nothing.',
    access: 'bearer',
    query: importQuery,
    body: { schema: z.string(), mediaTypes: catalogImportBody.types },
    response: {
      status: 200,
      description: 'What was (or would be) created and updated, and each refused row',
    },
    problems: [403, 422],
  },
  ...apiRoutes({ tag: 'Catalog', access: 'public' }, [
    {
      method: 'get',
      path: '/api/categories',
      summary: 'Read the category tree',
      response: { status: 200, description: 'The categories, nested' },
    },
    {
      method: 'get',
      path: '/api/categories/:slug',
      summary: 'Read one category by slug',
      params: { slug },
      response: { status: 200, description: 'The category' },
      problems: [404],
    },
  ]),
  ...apiRoutes({ tag: 'Catalog administration', access: 'bearer' }, [
    {
      method: 'post',
      path: '/api/categories',
      summary: 'Create a category (catalog:write)',
      body: { schema: newCategory, example: { name: 'Calzado', slug: 'calzado' } },
      response: { status: 201, description: 'The new category' },
      problems: [403, 404, 409],
    },
    {
      method: 'patch',
      path: '/api/categories/:id',
      summary: 'Rename or move a category (catalog:write)',
      params: { id: categoryId },
      body: { schema: categoryUpdate, example: { name: 'Zapatillas', parentId: null } },
      response: { status: 200, description: 'The updated category' },
      problems: [403, 404, 409],
    },
    {
      method: 'delete',
      path: '/api/categories/:id',
      summary: 'Delete a category (catalog:write)',
      params: { id: categoryId },
      response: { status: 204, description: 'Deleted' },
      problems: [403, 404, 409],
    },
  ]),
];

export const productApiDocument = openApiDocument(
  {
    title: 'Escalable shop: catalog',
    version: '1.0.0',
    description: 'Products, variants, categories, stock and the catalog import (product-service).',
  },
  PRODUCT_API,
);
