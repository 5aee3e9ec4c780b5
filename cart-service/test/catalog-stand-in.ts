import { randomUUID } from 'node:crypto';
import { type VariantAvailability } from '@escalable/shop-sdk';
import { verifyServiceToken } from '@escalable/shop-sdk/internal';
import { startStandIn, type ListeningServer } from '@escalable/shop-sdk/testing';

export interface CatalogStandIn extends ListeningServer {
  /** A variant on sale, 1000 ARS with 10 available unless `fields` say otherwise. */
  addVariant(fields?: Partial<Omit<VariantAvailability, 'variantId'>>): VariantAvailability;
  update(variantId: string, changes: Partial<Omit<VariantAvailability, 'variantId'>>): void;
  /** The variant no longer exists: look-ups list it as missing. */
  remove(variantId: string): void;
  /** While true, every connection is dropped unanswered, as a crashed product-service's would be. */
  down: boolean;
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
  const control = { down: false };
  const server = await startStandIn((app) => {
    app.get('/internal/variants', (req, res) => {
      if (control.down) {
        req.socket.destroy();
        return;
      }
      try {
        verifyServiceToken(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', serviceSecret);
      } catch {
        res
          .status(401)
          .type('application/problem+json')
          .json({ type: 'unauthorized', title: 'Unauthorized' });
        return;
      }
      const ids = String(req.query.ids ?? '').split(',');
      if (ids.length > 100) {
        res.status(400).type('application/problem+json').json({ type: 'validation', title: 'Too many ids' });
        return;
      }
      lookups.push(ids);
      const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
      res.json({
        items: unique.flatMap((id) => (variants.has(id) ? [variants.get(id)!] : [])),
        missing: unique.filter((id) => !variants.has(id)),
      });
    });
  });
  return {
    ...server,
    lookups,
    get down() {
      return control.down;
    },
    set down(value: boolean) {
      control.down = value;
    },
    addVariant(fields = {}) {
      const variantId = randomUUID();
      const variant: VariantAvailability = {
        variantId,
        productId: randomUUID(),
        productName: `Remera ${variantId.slice(0, 4)}`,
        productSlug: `remera-${variantId.slice(0, 8)}`,
        sku: `SKU-${variantId.slice(0, 8)}`,
        options: { talle: 'M' },
        price: { amount: 1000, currency: 'ARS' },
        status: 'active',
        available: 10,
        image: null,
        ...fields,
      };
      variants.set(variantId, variant);
      return variant;
    },
    update(variantId, changes) {
      variants.set(variantId, { ...variants.get(variantId)!, ...changes });
    },
    remove(variantId) {
      variants.delete(variantId);
    },
  };
}
