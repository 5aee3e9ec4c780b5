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
}

/** The planner's view of each filter's count, planned once and then kept a while. */
export interface CountPlans {
  planOf(count: SqlStatement): Promise<CountPlan>;
}

/**
 * Keeps the plan of each count statement (text and values) for `ttlMs`. A plan follows the table
 * statistics, which PostgreSQL renews when it analyzes a table (autovacuum does after about a tenth
 * of it changed), not from one page view to the next; planning it on every page cost each listing a
 * round trip of its own. At most `max` filters are kept, the ones used last.
 */
export function countPlans({ ttlMs = 60_000, max = 1_000 } = {}): CountPlans {
  const plans = new LRUCache<string, CountPlan, SqlStatement>({
    max,
    ttl: ttlMs,
    fetchMethod: (_key, _stale, { context }) => planCount(context),
  });
  return {
    async planOf(count) {
      return (await plans.fetch(`${count.text}\0${JSON.stringify(count.values)}`, { context: count }))!;
    },
  };
}

interface PlanNode {
  'Node Type': string;
  'Total Cost': number;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

async function planCount(count: SqlStatement): Promise<CountPlan> {
  const [explained] = await Product.sequelize!.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON) ${count.text}`,
    { bind: count.values, type: QueryTypes.SELECT },
  );
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
