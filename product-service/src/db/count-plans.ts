import { LRUCache } from 'lru-cache';
import { QueryTypes } from 'sequelize';
import { Product } from './models.js';
import type { SqlStatement } from './product-listing.js';

/** What the planner expects of a listing's capped count. */
export interface CountPlan {
  /** In the planner's units (about one page read each). */
  cost: number;
  /** The matches it expects below the count's cap, when the plan shows them. */
  estimate?: number;
  /**
   * Set once a page counted more matches than the cap: counting again while the plan is kept would
   * most likely find the same, reading the cap's worth of index entries on every page to answer the
   * estimate anyway.
   */
  beyondCap?: boolean;
}

/** The planner's view of each filter's count, planned once and then kept a while. */
export interface CountPlans {
  /** The plan kept for this count statement (text and values), planned on a miss. */
  planOf(count: SqlStatement): Promise<CountPlan>;
}

/** Runs one statement and answers its rows. */
export type RunStatement = (text: string, values: unknown[]) => Promise<unknown[]>;

const runOnModels: RunStatement = (text, values) =>
  Product.sequelize!.query(text, { bind: values, type: QueryTypes.SELECT });

export interface CountPlansOptions {
  ttlMs?: number;
  max?: number;
  /** How the counts are planned: the service's models, or the read path baseline's own pg pool. */
  run?: RunStatement;
}

/**
 * Keeps the plan of each count statement (text and values) for `ttlMs`. A plan follows the table
 * statistics, which PostgreSQL renews when it analyzes a table (autovacuum does after about a tenth
 * of it changed), not from one page view to the next; planning it on every page cost each listing a
 * round trip of its own. At most `max` filters are kept, the ones used last.
 */
export function countPlans({
  ttlMs = 60_000,
  max = 1_000,
  run = runOnModels,
}: CountPlansOptions = {}): CountPlans {
  const plans = new LRUCache<string, CountPlan, SqlStatement>({
    max,
    ttl: ttlMs,
    fetchMethod: (_key, _stale, { context }) => planCount(context, run),
  });
  return {
    planOf: async (count) =>
      (await plans.fetch(`${count.text}\0${JSON.stringify(count.values)}`, { context: count }))!,
  };
}

interface PlanNode {
  'Node Type': string;
  'Total Cost': number;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

async function planCount(count: SqlStatement, run: RunStatement): Promise<CountPlan> {
  const [explained] = (await run(`EXPLAIN (FORMAT JSON) ${count.text}`, count.values)) as Array<{
    'QUERY PLAN': [{ Plan: PlanNode }];
  }>;
  const plan = explained!['QUERY PLAN'][0].Plan;
  const estimate = matchesEstimate(plan);
  return { cost: plan['Total Cost'], estimate: estimate === undefined ? undefined : Math.round(estimate) };
}

/** The planner's guess of all the matches: the rows it expects below the count's cap. */
function matchesEstimate(node: PlanNode): number | undefined {
  if (node['Node Type'] === 'Limit') return node.Plans?.[0]?.['Plan Rows'];
  for (const child of node.Plans ?? []) {
    const found = matchesEstimate(child);
    if (found !== undefined) return found;
  }
  return undefined;
}
