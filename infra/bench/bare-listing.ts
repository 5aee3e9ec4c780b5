// The read path's baseline: a bare Express + pg endpoint answering the home page listing with the SQL
// product-service runs for it (its own `listingStatements`, loaded from the checkout), and nothing else:
// no validation, auth, logging, metrics or mapping. Started by the read-path bench as a process of its
// own, as the service runs in one: `DATABASE_URL=… PORT=… node --import tsx bench/bare-listing.ts`.
import express from 'express';
import pg from 'pg';
import { loadListingStatements } from './listing-sql.js';

export const BARE_LISTING_PATH = '/api/products';

const { listingStatements, EXACT_TOTAL_MAX_COST } = await loadListingStatements();
// product-service's pool size (the kit's DB_POOL_MAX default).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// An idle connection PostgreSQL ends when the bench stops its stack must not crash the process first.
pool.on('error', () => undefined);

const app = express();
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ok' });
});
// The same statements in the same order as the service for a first page that has more after it: the
// page, the count's plan, and the capped count when the plan is cheap.
app.get(BARE_LISTING_PATH, async (req, res) => {
  const limit = Number(req.query.limit ?? 20);
  const { page, count } = listingStatements({ status: 'active' }, 'newest', { limit, offset: 0 });
  const found = await pool.query(page.text, page.values);
  const plan = await pool.query<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] }>(
    `EXPLAIN (FORMAT JSON) ${count.text}`,
    count.values,
  );
  const cheap = plan.rows[0]!['QUERY PLAN'][0].Plan['Total Cost'] <= EXACT_TOTAL_MAX_COST;
  const total = cheap ? Number((await pool.query(count.text, count.values)).rows[0].total) : undefined;
  res.json({ items: found.rows.slice(0, limit), total });
});
app.listen(Number(process.env.PORT), '127.0.0.1');
