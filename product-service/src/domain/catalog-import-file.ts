import type { z } from 'zod';
import {
  CATALOG_IMPORT_MAX_PRODUCTS,
  clip,
  Problem,
  type CatalogImportError,
  type CatalogImportFormat,
  type CatalogImportProduct,
} from '@escalable/shop-sdk';
import { assertAcceptableInput } from '@escalable/shop-sdk/server';
import { readCsvProducts } from './catalog-import-csv.js';

/** Longer lines are refused unread: a product at its limits (100 variants, 20 images) fits in far less. */
export const MAX_LINE_CHARS = 256 * 1024;

export type FieldPath = ReadonlyArray<PropertyKey>;

/** Where a field of a product is in the file, as the admin who wrote it reads it. */
export type FieldPlace = Omit<CatalogImportError, 'detail'>;

/** A product as read from the file but not checked yet, and how to name the place of any of its fields. */
export interface ProductCandidate {
  line: number;
  value: unknown;
  locate: (path: FieldPath) => FieldPlace;
}

/** A product whose fields passed the schema; `locate` names its fields in the file. */
export interface ImportLine {
  line: number;
  product: CatalogImportProduct;
  locate: (path: FieldPath) => FieldPlace;
}

/** What the file says: the products that read well, the faults of the others, and the lines read. */
export interface CatalogFile {
  lines: number;
  products: ImportLine[];
  errors: CatalogImportError[];
}

/**
 * Reads an NDJSON or CSV catalog and checks each product with `schema` (and the kit's hostile-input
 * walk, since PostgreSQL refuses NUL and lone surrogates), collecting every fault with its line.
 * Throws a 413 Problem when the file holds more than {@link CATALOG_IMPORT_MAX_PRODUCTS} products.
 */
export function readCatalogFile(
  text: string,
  format: CatalogImportFormat,
  schema: z.ZodType<CatalogImportProduct>,
): CatalogFile {
  const read = format === 'csv' ? readCsvProducts(text) : readNdjsonProducts(text);
  if (read.productCount > CATALOG_IMPORT_MAX_PRODUCTS) throw tooManyProducts(read.productCount);
  const errors = [...read.errors];
  const products: ImportLine[] = [];
  for (const candidate of read.candidates) {
    const faults = faultsOf(candidate, schema);
    if (Array.isArray(faults)) errors.push(...faults);
    else products.push(faults);
  }
  return { lines: read.lines, products, errors };
}

export interface ReadProducts {
  lines: number;
  /** Products in the file, readable or not: the limit counts them before any is checked. */
  productCount: number;
  candidates: ProductCandidate[];
  errors: CatalogImportError[];
}

function readNdjsonProducts(text: string): ReadProducts {
  // Editors on Windows start UTF-8 files with a byte order mark, which JSON.parse does not skip.
  const rows = text.replace(/^\uFEFF/, '').split('\n');
  const productCount = rows.filter((row) => row.trim() !== '').length;
  const candidates: ProductCandidate[] = [];
  const errors: CatalogImportError[] = [];
  if (productCount > CATALOG_IMPORT_MAX_PRODUCTS)
    return { lines: productCount, productCount, candidates, errors };
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const line = index + 1;
    if (row.length > MAX_LINE_CHARS) {
      errors.push({ line, field: '(line)', detail: `is longer than ${MAX_LINE_CHARS} characters` });
      return;
    }
    try {
      const value: unknown = JSON.parse(row);
      candidates.push({ line, value, locate: (path) => ({ line, field: jsonFieldName(path) }) });
    } catch (error) {
      errors.push({ line, field: '(line)', detail: clip(`is not JSON: ${(error as Error).message}`, 120) });
    }
  });
  return { lines: productCount, productCount, candidates, errors };
}

function faultsOf(
  candidate: ProductCandidate,
  schema: z.ZodType<CatalogImportProduct>,
): CatalogImportError[] | ImportLine {
  try {
    assertAcceptableInput(candidate.value, 'body');
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    const params = (error.extensions.invalidParams ?? []) as Array<{ name: string; reason: string }>;
    return params.map((param) => ({ ...candidate.locate(pathOfName(param.name)), detail: param.reason }));
  }
  const result = schema.safeParse(candidate.value);
  if (result.success) return { line: candidate.line, product: result.data, locate: candidate.locate };
  return result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? { ...candidate.locate([...issue.path, issue.keys.join(',')]), detail: 'is not an accepted field' }
      : { ...candidate.locate(issue.path), detail: clip(issue.message, 200) },
  );
}

/** `['variants', 0, 'price', 'amount']` → `variants[0].price.amount`. */
export function jsonFieldName(path: FieldPath): string {
  const name = path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  return clip(name) || '(line)';
}

/** The kit's walk names fields with dots (`variants.0.sku`); a path again, for `locate`. */
function pathOfName(name: string): FieldPath {
  if (name === '(root)') return [];
  return name.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function tooManyProducts(count: number): Problem {
  return new Problem({
    status: 413,
    type: 'payload-too-large',
    title: 'The body is too large',
    detail: `An import holds at most ${CATALOG_IMPORT_MAX_PRODUCTS} products; this one holds ${count}`,
  });
}
