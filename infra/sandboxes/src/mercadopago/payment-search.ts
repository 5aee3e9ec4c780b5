import type { SandboxPayment } from './mercadopago-sandbox.js';
import { badRequestError } from './mercadopago-errors.js';

const SORTABLE = {
  date_created: 'dateCreated',
  date_approved: 'dateApproved',
  date_last_updated: 'dateLastUpdated',
  money_release_date: 'dateApproved',
} as const;
const FILTERS = { external_reference: 'externalReference', status: 'status' } as const;
const DEFAULT_LIMIT = 30;
const MAX_LIMIT = 1000;

/** GET /v1/payments/search: filtered by external_reference and status, sorted, one page of results. */
export function searchPayments(payments: SandboxPayment[], query: Record<string, unknown>) {
  const limit = count(query.limit, DEFAULT_LIMIT, 'limit');
  const offset = count(query.offset, 0, 'offset');
  if (limit > MAX_LIMIT) throw badRequestError('invalid_limit', `limit must be at most ${MAX_LIMIT}`);
  const sortBy = SORTABLE[String(query.sort ?? 'date_created') as keyof typeof SORTABLE];
  if (!sortBy)
    throw badRequestError('invalid_sort', `sort must be one of ${Object.keys(SORTABLE).join(', ')}`);
  const direction = query.criteria === 'desc' ? -1 : 1;
  const matching = payments
    .filter((payment) =>
      Object.entries(FILTERS).every(
        ([param, field]) => query[param] === undefined || String(payment[field]) === String(query[param]),
      ),
    )
    .sort(
      (a, b) => direction * (String(a[sortBy] ?? '').localeCompare(String(b[sortBy] ?? '')) || a.id - b.id),
    );
  return {
    paging: { total: matching.length, limit, offset },
    results: matching.slice(offset, offset + limit),
  };
}

function count(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw badRequestError(`invalid_${name}`, `${name} must be a whole number`);
  return number;
}
