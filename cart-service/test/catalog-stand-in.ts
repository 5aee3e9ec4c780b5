import { randomUUID } from 'node:crypto';
import { type VariantAvailability } from '@escalable/shop-sdk';
import { answerProblem, startInternalStandIn, type InternalStandIn } from '@escalable/shop-sdk/testing';

export interface CatalogStandIn extends InternalStandIn {
  /** A variant on sale, 1000 ARS with 10 available unless `fields` say otherwise. */
  addVariant(fields?: Partial<Omit<VariantAvailability, 'variantId'>>): VariantAvailability;
  update(variantId: string, changes: Partial<Omit<VariantAvailability, 'variantId'>>): void;
  /** The variant no longer exists: look-ups list it as missing. */
  remove(variantId: string): void;
  /** The ids of each look-up received, in order. */
  readonly lookups: string[][];
}

/**
 * product-service as cart-service sees it: GET /internal/variants per the VariantLookup contract,
 * with service credentials checked and at most 100 ids, over variants the test controls.
 */
export async function startCatalogStandIn(serviceSecret: string): Promise<CatalogStandIn> {
  const variants = new Map<string, VariantAvailability>();
  const lookups: string[][] = [];
  const server = await startInternalStandIn(
    serviceSecret,
    (app) => {
      app.get('/internal/variants', (req, res) => {
        const ids = String(req.query.ids ?? '').split(',');
        if (ids.length > 100) return answerProblem(res, 400, 'validation', { detail: 'Too many ids' });
        lookups.push(ids);
        const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
        res.json({
          items: unique.flatMap((id) => (variants.has(id) ? [variants.get(id)!] : [])),
          missing: unique.filter((id) => !variants.has(id)),
        });
      });
    },
    { whenDown: 'drop' },
  );
  return Object.assign(server, {
    lookups,
    addVariant(fields: Partial<Omit<VariantAvailability, 'variantId'>> = {}) {
      const variantId = randomUUID();
      const variant: VariantAvailability = {
        variantId,
        productId: randomUUID(),
        productName: `Remera ${variantId.slice(0, 4)}`,
        productSlug: `remera-${variantId.slice(0, 8)}`,
        sku: `SKU-${variantId.slice(0, 8)}`,
        options: { talle: 'M' },
        price: { amount: 1000, currency: 'ARS' },
        status: 'active' as const,
        available: 10,
        image: null,
        ...fields,
      };
      variants.set(variantId, variant);
      return variant;
    },
    update(variantId: string, changes: Partial<Omit<VariantAvailability, 'variantId'>>) {
      variants.set(variantId, { ...variants.get(variantId)!, ...changes });
    },
    remove(variantId: string) {
      variants.delete(variantId);
    },
  });
}
