import { createHash } from 'node:crypto';
import { Product } from './models.js';
import type { SqlStatement } from './product-listing.js';

/**
 * How many statements one connection keeps prepared. The listing's filters, sorts, page sizes and
 * readers make a few thousand shapes; each kept generic plan holds 210–340 KB of its PostgreSQL backend
 * (measured), so a visitor walking through every shape must evict the least used instead of growing
 * every backend of the pool.
 */
export const PREPARED_PER_CONNECTION = 16;

/** What this module uses of a pool's connection, a pg `Client`: queries, and the statements it parsed. */
interface PooledClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  query(text: string): Promise<unknown>;
  connection: { parsedStatements: Record<string, string> };
}

/** The names prepared on each connection, least recently used first. */
const preparedOn = new WeakMap<PooledClient, Map<string, true>>();

/**
 * The name a statement is prepared under: the same text always gets the same name, on every
 * connection, so the bench's baseline prepares exactly what the service prepares.
 */
export function preparedName(text: string): string {
  return `s_${createHash('sha1').update(text).digest('hex')}`;
}

/**
 * Runs `statement` as a prepared statement of its connection: PostgreSQL parses and plans it once per
 * connection instead of on every request (the listing's planning cost more than reading its page).
 * For statements whose best plan does not depend on the values bound: after five runs PostgreSQL may
 * keep one generic plan for all of them.
 */
export async function runPrepared<Row>(statement: SqlStatement): Promise<Row[]> {
  const manager = Product.sequelize!.connectionManager;
  const client = (await manager.getConnection({ type: 'read' })) as unknown as PooledClient;
  try {
    const name = preparedName(statement.text);
    await keepPrepared(client, name);
    try {
      const { rows } = await client.query({ name, text: statement.text, values: statement.values });
      return rows as Row[];
    } catch (error) {
      // The statement may not have been prepared: it is not kept, so it is never deallocated.
      if (!(name in client.connection.parsedStatements)) preparedOn.get(client)?.delete(name);
      throw error;
    }
  } finally {
    manager.releaseConnection(client as never);
  }
}

/** Marks `name` as just used on `client`, deallocating its least used statement when it holds too many. */
async function keepPrepared(client: PooledClient, name: string): Promise<void> {
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Map()));
  if (names.delete(name)) {
    names.set(name, true);
    return;
  }
  if (names.size >= PREPARED_PER_CONNECTION) {
    const [oldest] = names.keys();
    names.delete(oldest!);
    await client.query(`DEALLOCATE ${oldest}`);
    // pg has no call for this: without it, pg would skip parsing the name again and PostgreSQL would
    // answer that the statement does not exist (the prepared-statements test fails that way).
    delete client.connection.parsedStatements[oldest!];
  }
  names.set(name, true);
}
