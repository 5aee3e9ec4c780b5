import { Problem, ShopClient, type CatalogImportReport, type CategoryNode } from '@escalable/shop-sdk';
import { DEMO_CATEGORIES, demoProducts } from './demo-catalog.js';

export interface SeedReport {
  categoriesCreated: number;
  catalog: CatalogImportReport;
}

/**
 * Fills the shop behind `gatewayUrl` with the demo catalog, signed in as `admin` (catalog:write):
 * the categories missing by slug, then every product through one catalog import, which matches
 * products by SKU. A second run creates nothing.
 */
export async function seedDemoCatalog(
  gatewayUrl: string,
  admin: { email: string; password: string },
): Promise<SeedReport> {
  const client = new ShopClient({ baseUrl: gatewayUrl });
  await client.auth.login(admin);
  const categoriesCreated = await createMissingCategories(client);
  const ndjson = demoProducts()
    .map((product) => JSON.stringify(product))
    .join('\n');
  const catalog = await client.products.importCatalog(ndjson, { format: 'ndjson' });
  return { categoriesCreated, catalog };
}

/** One line for the terminal. */
export function describeSeed({ categoriesCreated, catalog }: SeedReport): string {
  const { created, updated, unchanged } = catalog.products;
  return (
    `Demo catalog: ${categoriesCreated} categories created; ${catalog.lines} products read, ` +
    `${created} created, ${updated} updated, ${unchanged} unchanged.`
  );
}

/** Why seeding failed, with the import's per-line errors when it refused the file. */
export function describeSeedFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = error instanceof Problem ? error.extensions.errors : undefined;
  return lines === undefined ? message : `${message} ${JSON.stringify(lines)}`;
}

async function createMissingCategories(client: ShopClient): Promise<number> {
  const ids = new Map(
    flatten(await client.categories.tree()).map((category) => [category.slug, category.id]),
  );
  let created = 0;
  for (const { slug, name, parent } of DEMO_CATEGORIES) {
    if (ids.has(slug)) continue;
    const category = await client.categories.create({
      name,
      slug,
      parentId: parent === undefined ? null : ids.get(parent),
    });
    ids.set(slug, category.id);
    created++;
  }
  return created;
}

function flatten(nodes: CategoryNode[]): CategoryNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}
