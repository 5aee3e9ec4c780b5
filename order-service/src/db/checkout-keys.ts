import { QueryTypes } from 'sequelize';
import { Order } from './models.js';

export interface StoredCheckoutKey {
  requestHash: string;
  /** Null while the checkout that claimed the key is still running. */
  responseStatus: number | null;
  response: unknown;
}

const sequelize = () => Order.sequelize!;

/** Claims the key for one checkout; false when another request holds it already. */
export async function claimCheckoutKey(
  customerId: string,
  key: string,
  requestHash: string,
): Promise<boolean> {
  const rows = await sequelize().query(
    `INSERT INTO checkout_keys (customer_id, idempotency_key, request_hash)
     VALUES ($customerId, $key, $requestHash)
     ON CONFLICT (customer_id, idempotency_key) DO NOTHING
     RETURNING customer_id`,
    { bind: { customerId, key, requestHash }, type: QueryTypes.SELECT },
  );
  return rows.length === 1;
}

export async function readCheckoutKey(customerId: string, key: string): Promise<StoredCheckoutKey | null> {
  const [row] = await sequelize().query<StoredCheckoutKey>(
    `SELECT request_hash AS "requestHash", response_status AS "responseStatus", response
     FROM checkout_keys WHERE customer_id = $customerId AND idempotency_key = $key`,
    { bind: { customerId, key }, type: QueryTypes.SELECT },
  );
  return row ?? null;
}

export async function storeCheckoutAnswer(
  customerId: string,
  key: string,
  status: number,
  response: unknown,
): Promise<void> {
  await sequelize().query(
    `UPDATE checkout_keys SET response_status = $status, response = $response::jsonb
     WHERE customer_id = $customerId AND idempotency_key = $key`,
    { bind: { customerId, key, status, response: JSON.stringify(response) } },
  );
}

/** Frees the key of a checkout that failed, so a retry with it checks out afresh. */
export async function releaseCheckoutKey(customerId: string, key: string): Promise<void> {
  await sequelize().query(
    'DELETE FROM checkout_keys WHERE customer_id = $customerId AND idempotency_key = $key',
    { bind: { customerId, key } },
  );
}
