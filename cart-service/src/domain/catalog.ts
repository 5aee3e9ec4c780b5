import { Problem, problems, type VariantAvailability, type VariantLookup } from '@escalable/shop-sdk';

/** What carts need of product-service: its ProductServiceClient, built once in app.ts. */
export interface VariantCatalog {
  lookupVariants(variantIds: string[]): Promise<VariantLookup>;
}

/** What the cart stories need besides the database, built once in app.ts. */
export interface CartDependencies {
  catalog: VariantCatalog;
}

/** The catalog's word on some variants: null for a variant that no longer exists. */
export type CatalogPrices = Map<string, VariantAvailability | null>;

/**
 * The current price, status and stock of variants, in one call. product-service failing is a 503
 * (the caller decides whether to show the cart unpriced); product-service refusing the look-up is a
 * fault of this service, not of its client, so it is a 500.
 */
export async function lookupPrices(catalog: VariantCatalog, variantIds: string[]): Promise<CatalogPrices> {
  if (variantIds.length === 0) return new Map();
  let lookup: VariantLookup;
  try {
    lookup = await catalog.lookupVariants(variantIds);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    if (error.status >= 500)
      throw problems.unavailable('product-service', 'Prices and stock cannot be checked now', error);
    throw new Error(`product-service refused a variant look-up: ${error.status} ${error.slug}`, {
      cause: error,
    });
  }
  const prices: CatalogPrices = new Map(lookup.items.map((item) => [item.variantId, item]));
  for (const id of lookup.missing) prices.set(id, null);
  return prices;
}

/** Whether a failure means the catalog is unreachable, as opposed to a bug. */
export function isCatalogDown(error: unknown): boolean {
  return error instanceof Problem && error.slug === 'upstream-unavailable';
}
