import { problems, type LoginRequest, type PasswordChange, type Session } from '@escalable/shop-sdk';
import { User } from '../db/models.js';
import { revokeFamiliesOf } from '../db/session-families.js';
import type { AccountDependencies } from './dependencies.js';
import { queuePasswordChanged } from './notifications.js';
import { startSession, wrongCredentials } from './sessions.js';
import { findUser, findUserByEmail } from './users.js';
import { toUserView } from './user-view.js';

/** Sign-in with e-mail and password: a new session. */
export async function login(
  deps: AccountDependencies,
  input: LoginRequest,
  clientAddress: string,
): Promise<Session> {
  const user = await findUserByEmail(input.email);
  const right = await checkPassword(deps, input.email, clientAddress, user?.passwordHash, input.password);
  if (!right || !user) throw wrongCredentials();
  const tokens = await User.sequelize!.transaction((transaction) =>
    startSession(deps.sessions, user, transaction),
  );
  return { user: toUserView(user), tokens };
}

/** Changes the password and signs the user out everywhere; access tokens lapse within their TTL. */
export async function changePassword(
  deps: AccountDependencies,
  userId: string,
  change: PasswordChange,
  clientAddress: string,
): Promise<void> {
  const user = await findUser(userId);
  if (!(await checkPassword(deps, user.email, clientAddress, user.passwordHash, change.currentPassword))) {
    throw problems.forbidden('Send the password this account signs in with as currentPassword', {
      type: 'wrong-password',
      title: 'The current password is wrong',
    });
  }
  const passwordHash = await deps.hasher.hash(change.newPassword);
  await User.sequelize!.transaction(async (transaction) => {
    await User.update({ passwordHash }, { where: { id: userId }, transaction });
    await revokeFamiliesOf(userId, transaction);
    await queuePasswordChanged(user, new Date(), transaction);
  });
}

/**
 * Every password guess, at login or behind a stolen access token, counts against the same limits:
 * both are guesses at one account's password.
 */
function checkPassword(
  deps: AccountDependencies,
  email: string,
  clientAddress: string,
  storedHash: string | undefined,
  password: string,
): Promise<boolean> {
  return deps.loginThrottle.attempt(email, clientAddress, () => deps.hasher.verify(storedHash, password));
}
