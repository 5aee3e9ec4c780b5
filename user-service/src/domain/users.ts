import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { problems, type Role } from '@escalable/shop-sdk';
import { constraintProblems } from '@escalable/shop-sdk/server';
import { emailIs, User, UserRole } from '../db/models.js';
import { contactFields, withRolesAndAddresses } from './user-view.js';

export async function findUser(userId: string, transaction?: Transaction): Promise<User> {
  return found(await User.findByPk(userId, { include: withRolesAndAddresses, transaction }));
}

/**
 * The user's own row with only what reaching them takes: every notice sent asks for it, and the whole
 * account (roles, addresses, password hash) cost a join the contact never shows.
 */
export async function findContactFields(userId: string): Promise<User> {
  return found(await User.findByPk(userId, { attributes: [...contactFields] }));
}

function found(user: User | null): User {
  if (!user) throw problems.notFound('The user');
  return user;
}

export async function findUserByEmail(email: string): Promise<User | null> {
  return User.findOne({ where: emailIs(email), include: withRolesAndAddresses });
}

const withAccountConflicts = constraintProblems({
  conflicts: {
    // Unique on lower(email): the same address in another letter case is taken too.
    users_email_unique: () => problems.conflict('email-taken', 'An account with this e-mail already exists'),
  },
});

/** Creates an account with its roles; a taken e-mail (in any letter case) is a 409. */
export async function createUser(
  fields: Pick<User, 'email' | 'name' | 'phone' | 'locale' | 'passwordHash'>,
  roles: Role[],
  transaction: Transaction,
): Promise<User> {
  const id = randomUUID();
  await withAccountConflicts(() => User.create({ id, ...fields }, { transaction }));
  await UserRole.bulkCreate(
    roles.map((role) => ({ userId: id, role })),
    { transaction },
  );
  return findUser(id, transaction);
}
