import type { CatalogImportError, CatalogImportProduct, CatalogImportReport } from '@escalable/shop-sdk';
import { adminToken, call, unique, type Answer, type ProblemBody } from './harness.js';

export type ImportAnswer = Answer<
  CatalogImportReport & ProblemBody & { errors: CatalogImportError[]; errorCount: number }
>;

/** Posts a catalog file as an admin unless told otherwise. */
export function postImport(
  url: string,
  file: string,
  options: { contentType?: string; token?: string | null; query?: string } = {},
): Promise<ImportAnswer> {
  const token = options.token === undefined ? adminToken() : (options.token ?? undefined);
  return call(url, 'POST', `/api/products/import${options.query ?? ''}`, {
    token,
    rawBody: file,
    headers: { 'content-type': options.contentType ?? 'application/x-ndjson' },
  });
}

export const ndjson = (products: unknown[]): string =>
  products.map((product) => JSON.stringify(product)).join('\n');

/** A product line of three variants whose slug and SKUs start with `prefix`, so a test can count its rows. */
export function productLine(prefix: string, index: number, overrides: Partial<CatalogImportProduct> = {}) {
  return {
    name: `${prefix} remera ${index}`,
    slug: `${prefix}-remera-${index}`.toLowerCase(),
    description: 'Algodón peinado',
    status: 'active' as const,
    variants: ['S', 'M', 'L'].map((size, position) => ({
      sku: `${prefix}-${index}-${size}`,
      options: { talle: size },
      price: { amount: 1299900 + position * 100, currency: 'ARS' },
      stock: 10 + position,
    })),
    ...overrides,
  };
}

/** A prefix no other test uses, in the shape slugs and SKUs accept. */
export const runPrefix = (what: string) => unique(what).toLowerCase();
