import type { Transaction } from 'sequelize';
import { User } from './models.js';

/** One role change at a time across the shop, until the transaction ends. */
export async function lockRoleChanges(transaction: Transaction): Promise<void> {
  await User.sequelize!.query("SELECT pg_advisory_xact_lock(hashtext('user_roles'))", { transaction });
}
