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
  /**
   * The plan kept for the count `key`, or on a miss the plan of the statement `planned` answers (the
   * same count as the planner can judge it; none when there is nothing to count, and then none kept).
   */
  planOf(key: SqlStatement, planned: () => Promise<SqlStatement | undefined>): Promise<CountPlan | undefined>;
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
  const plans = new LRUCache<string, CountPlan, () => Promise<SqlStatement | undefined>>({
    max,
    ttl: ttlMs,
    fetchMethod: async (_key, _stale, { context }) => {
      const count = await context();
      return count && planCount(count, run);
    },
  });
  return {
    planOf: (key, planned) => plans.fetch(`${key.text}\0${JSON.stringify(key.values)}`, { context: planned }),
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
