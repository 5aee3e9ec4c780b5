import { LRUCache } from 'lru-cache';
import { categoryIdBySlug } from './categories.js';

/** The ids of the categories listings name by slug. */
export interface CategoryIds {
  /** The id of the category with this slug, kept from an earlier lookup unless `fresh`; none if none has it. */
  idOf(slug: string, options: { fresh: boolean }): Promise<string | undefined>;
}

/**
 * Keeps the id of each slug a listing named, the `max` used last, for `ttlMs`: a listing's statement
 * names its category by id (see `ListedCategory`) and checks the slug still names it, so a kept id
 * costs no lookup and a stale one costs one. Slugs naming no category are not kept: visitors choose them.
 */
export function categoryIds({ ttlMs = 60_000, max = 1_000 } = {}): CategoryIds {
  const ids = new LRUCache<string, string>({ max, ttl: ttlMs });
  return {
    async idOf(slug, { fresh }) {
      const kept = fresh ? undefined : ids.get(slug);
      if (kept) return kept;
      const id = await categoryIdBySlug(slug);
      if (id === undefined) ids.delete(slug);
      else ids.set(slug, id);
      return id;
    },
  };
}
