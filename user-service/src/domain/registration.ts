import type { RegisterRequest, Session } from '@escalable/shop-sdk';
import { User } from '../db/models.js';
import type { AccountDependencies } from './dependencies.js';
import { queueWelcome } from './notifications.js';
import { startSession } from './sessions.js';
import { createUser } from './users.js';
import { toUserView } from './user-view.js';

/** Sign-up: a customer account, signed in at once. */
export async function register(
  deps: AccountDependencies,
  input: RegisterRequest,
  clientAddress: string,
): Promise<Session> {
  await deps.registrationThrottle.countAttempt(clientAddress);
  const passwordHash = await deps.hasher.hash(input.password);
  return User.sequelize!.transaction(async (transaction) => {
    const user = await createUser(
      {
        email: input.email,
        name: input.name,
        phone: input.phone ?? null,
        locale: input.locale ?? 'es',
        passwordHash,
      },
      ['customer'],
      transaction,
    );
    await queueWelcome(user, transaction);
    const tokens = await startSession(deps.sessions, user, transaction);
    return { user: toUserView(user), tokens };
  });
}
