// The bench catalog: products made from their number, so every run seeds the same catalog, imported
// through POST /api/products/import as an admin would.
import { CATALOG_IMPORT_MAX_PRODUCTS, type CatalogImportProduct, type ShopClient } from '@escalable/shop-sdk';

export const CATEGORIES = {
  /** Holds the first 200 products only: a small category inside a large catalog. */
  small: 'bench-small',
  /** Holds every bench product. */
  large: 'bench-large',
  /** Holds one product in {@link MID_EVERY}, spread over the catalog (2 000 of 50 000). */
  mid: 'bench-mid',
  /** Holds no product itself, only `mid` below it: its listing is a category with its descendants. */
  midParent: 'bench-mid-parent',
} as const;

/** Every this-many-th product is in the mid-size category: a few percent of the catalog. */
export const MID_EVERY = 25;

const KINDS = ['remera', 'pantalón', 'campera', 'zapatilla'];
const COLORS = ['negro', 'blanco', 'azul', 'rojo', 'verde', 'gris', 'beige'];
const SIZES = ['S', 'M', 'L'];

/** A word one product in four has in its name: a search that matches many products. */
export const COMMON_WORD = KINDS[0]!;
/** Bounds that hold about a fifth of the catalog's lowest prices. */
export const PRICE_RANGE = { minPrice: 200_000, maxPrice: 400_000 };
/** Bounds that hold about one in 250 of them (200 of 50 000 products): a narrow range. */
export const NARROW_PRICE_RANGE = { minPrice: 50_000, maxPrice: 53_000 };

/** Products `from` … `from + count - 1`, one NDJSON line each, in the import format. */
export function catalogLines(from: number, count: number, smallUpTo: number): string[] {
  return Array.from({ length: count }, (_, index) => JSON.stringify(benchProduct(from + index, smallUpTo)));
}

function benchProduct(number: number, smallUpTo: number): CatalogImportProduct {
  const kind = KINDS[number % KINDS.length]!;
  const color = COLORS[number % COLORS.length]!;
  // Scattered, so that price order is not creation order.
  const basePrice = 50_000 + ((number * 7_919) % 1_000) * 1_000;
  // One product in three is sold out: the stock filter has something to leave out.
  const stock = number % 3 === 0 ? 0 : 5;
  return {
    name: `${kind} ${color} ${number}`,
    slug: `bench-${number}`,
    description: `Producto ${number} del catálogo de prueba: ${kind} de color ${color}.`,
    status: 'active',
    categories: [
      ...(number < smallUpTo ? [CATEGORIES.small] : []),
      CATEGORIES.large,
      ...(number % MID_EVERY === 0 ? [CATEGORIES.mid] : []),
    ],
    variants: SIZES.map((size, position) => ({
      sku: `BENCH-${number}-${size}`,
      options: { talle: size, color },
      price: { amount: basePrice + position * 500, currency: 'ARS' },
      stock,
    })),
  };
}

export async function createBenchCategories(admin: ShopClient): Promise<void> {
  await admin.categories.create({ name: 'Bench: small', slug: CATEGORIES.small });
  await admin.categories.create({ name: 'Bench: large', slug: CATEGORIES.large });
  const parent = await admin.categories.create({ name: 'Bench: mid parent', slug: CATEGORIES.midParent });
  await admin.categories.create({ name: 'Bench: mid', slug: CATEGORIES.mid, parentId: parent.id });
}

/** Imports `lines` in requests of at most the route's limit; resolves when every product was created. */
export async function importCatalog(
  admin: ShopClient,
  lines: string[],
  onBatch: (done: number, ms: number) => void = () => undefined,
): Promise<void> {
  for (let start = 0; start < lines.length; start += CATALOG_IMPORT_MAX_PRODUCTS) {
    const began = performance.now();
    const batch = lines.slice(start, start + CATALOG_IMPORT_MAX_PRODUCTS);
    const report = await admin.products.importCatalog(batch.join('\n'), {
      format: 'ndjson',
      timeoutMs: 600_000,
    });
    if (report.products.created !== batch.length)
      throw new Error(`the import created ${report.products.created} of ${batch.length} products`);
    onBatch(start + batch.length, performance.now() - began);
  }
}
