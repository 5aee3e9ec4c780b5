import type pg from 'pg';

/** One SQL statement with its positional parameters, as pg takes it. */
export interface Statement {
  text: string;
  values: unknown[];
}

export interface PlanFigures {
  executionMs: number;
  planningMs: number;
  /** The plan's top node, and the scan that feeds it (`Limit ← Index Scan using … on products`). */
  plan: string;
  /** Shared buffers found in cache, and read from disk or the OS. */
  sharedHit: number;
  sharedRead: number;
}

interface PlanNode {
  'Node Type': string;
  /** `Outer`, `Inner`, `InitPlan`, `SubPlan`, … */
  'Parent Relationship'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface ExplainOutput {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one statement, run three times: the median by PostgreSQL time, so one
 * run slowed by the rest of the machine does not stand for the statement. TIMING OFF: the statement's
 * own time without a clock read around every row of every node, which on this machine's VM inflated
 * plans that touch thousands of rows (the `inStock` page: 16.0 ms explained, 0.9–1.1 ms as it runs).
 */
export async function explainAnalyze(client: pg.ClientBase, statement: Statement): Promise<PlanFigures> {
  const runs: PlanFigures[] = [];
  for (let run = 0; run < 3; run++) runs.push(await explainOnce(client, statement));
  runs.sort((a, b) => a.executionMs + a.planningMs - (b.executionMs + b.planningMs));
  return runs[1]!;
}

async function explainOnce(client: pg.ClientBase, statement: Statement): Promise<PlanFigures> {
  const { rows } = await client.query<{ 'QUERY PLAN': ExplainOutput[] }>(
    `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  const output = rows[0]!['QUERY PLAN'][0]!;
  return {
    executionMs: output['Execution Time'],
    planningMs: output['Planning Time'],
    plan: describePlan(output.Plan),
    sharedHit: output.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: output.Plan['Shared Read Blocks'] ?? 0,
  };
}

function describePlan(top: PlanNode): string {
  const scan = firstScan(top);
  return scan && scan !== top ? `${describeNode(top)} ← ${describeNode(scan)}` : describeNode(top);
}

function describeNode(node: PlanNode): string {
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const relation = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  return `${node['Node Type']}${index}${relation}`;
}

/**
 * The first scan of a table met going down the plan, leftmost first and sub-plans last: the one that
 * feeds the rows (a CTE's or subquery's scan is followed down to the table it reads).
 */
function firstScan(node: PlanNode): PlanNode | undefined {
  if (node['Node Type'].includes('Scan') && node['Relation Name']) return node;
  const children = node.Plans ?? [];
  const isSubPlan = (child: PlanNode) => /^(InitPlan|SubPlan)$/.test(child['Parent Relationship'] ?? '');
  for (const child of [...children.filter((c) => !isSubPlan(c)), ...children.filter(isSubPlan)]) {
    const scan = firstScan(child);
    if (scan) return scan;
  }
  return undefined;
}
