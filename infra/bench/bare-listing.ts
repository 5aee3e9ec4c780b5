// The read path's baseline: a bare Express + pg endpoint answering the home page listing with the one
// statement product-service runs for it (its own `plannedPageStatement` and `countPlans`, loaded from the
// checkout, prepared under the service's name for it: the page, the products' views as JSON text, and the capped count when the kept plan says
// cheap), answered as the text PostgreSQL wrote, and nothing else: no validation, auth, logging,
// metrics, Sequelize or cursor. Started by the read-path bench as a process of its own, as the service
// runs in one: `DATABASE_URL=… PORT=… node --import tsx bench/bare-listing.ts`.
import express from 'express';
import pg from 'pg';
import { REQUEST_SESSION_OPTIONS } from '@escalable/shop-sdk/server';
import { loadListingStatements } from './listing-sql.js';

export const BARE_LISTING_PATH = '/api/products';

const { plannedPageStatement, countPlans, preparedName } = await loadListingStatements();
// product-service's pool size (the kit's DB_POOL_MAX default), its sessions' settings.
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  options: REQUEST_SESSION_OPTIONS,
});
// An idle connection PostgreSQL ends when the bench stops its stack must not crash the process first.
pool.on('error', () => undefined);
// Planned on this pool and kept as long as the service keeps its plans: the same statement per request.
const plans = countPlans({ run: async (text, values) => (await pool.query(text, values)).rows });

const app = express();
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.get(BARE_LISTING_PATH, async (req, res) => {
  const limit = Number(req.query.limit ?? 20);
  const { statement } = await plannedPageStatement(
    { status: 'active' },
    'newest',
    { limit, offset: 0 },
    { stock: false },
    plans,
  );
  // Prepared under the service's name for it, as the service runs it.
  const { rows } = await pool.query<{ items: string; total: number | null }>({
    name: preparedName(statement.text),
    ...statement,
  });
  res.type('application/json').send(`{"total":${rows[0]!.total},"items":${rows[0]!.items}}`);
});
app.listen(Number(process.env.PORT), '127.0.0.1');
