import { Problem } from '@escalable/shop-sdk';
import type { Logger } from '@escalable/shop-sdk/server';
import { emailIs, User } from '../db/models.js';
import { createUser } from './users.js';
import { hashPassword } from './passwords.js';

/**
 * Creates the first admin when no account has the given e-mail. An existing account is left as it
 * is: granting admin to whoever registered that e-mail first would hand the shop to a stranger.
 */
export async function ensureAdmin(email: string, password: string, logger: Logger): Promise<void> {
  const normalized = email.trim().toLowerCase();
  if (await User.findOne({ where: emailIs(normalized) })) {
    logger.info({ email: normalized }, 'admin account already exists');
    return;
  }
  const passwordHash = await hashPassword(password);
  try {
    await User.sequelize!.transaction((transaction) =>
      createUser(
        { email: normalized, name: 'Administrator', phone: null, locale: 'es', passwordHash },
        ['customer', 'admin'],
        transaction,
      ),
    );
    logger.info({ email: normalized }, 'admin account created');
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (!(error instanceof Problem && error.slug === 'email-taken')) throw error;
  }
}
