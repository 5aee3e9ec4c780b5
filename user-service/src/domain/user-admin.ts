import type { Transaction } from 'sequelize';
import {
  problems,
  type Page,
  type Permission,
  type Role,
  type User as UserView,
  type UserListQuery,
} from '@escalable/shop-sdk';
import { User, UserRole } from '../db/models.js';
import { lockRoleChanges } from '../db/role-changes.js';
import { revokeFamiliesOf } from '../db/session-families.js';
import { emailOrNameContains, holdsRole } from '../db/user-filters.js';
import { findUser } from './users.js';
import { permissionsFor, rolesOf, toUserView, withRolesAndAddresses } from './user-view.js';

/**
 * Administration is decided on the caller's roles as stored now, not on the ones in an access token
 * that may predate a demotion by up to its lifetime.
 */
async function requireStoredPermission(
  userId: string,
  permission: Permission,
  transaction?: Transaction,
): Promise<void> {
  const roles = await UserRole.findAll({ where: { userId }, transaction });
  if (!permissionsFor(roles.map((row) => row.role)).includes(permission)) {
    throw problems.forbidden(`Missing permission: ${permission}`);
  }
}

export async function listUsers(
  callerId: string,
  query: Required<Pick<UserListQuery, 'limit' | 'offset'>> & UserListQuery,
): Promise<Page<UserView>> {
  await requireStoredPermission(callerId, 'users:read');
  const where = {
    ...(query.search ? emailOrNameContains(query.search) : {}),
    ...(query.role ? holdsRole(query.role) : {}),
  };
  const { rows, count } = await User.findAndCountAll({
    where,
    include: withRolesAndAddresses,
    order: [
      ['createdAt', 'DESC'],
      ['id', 'ASC'],
    ],
    limit: query.limit,
    offset: query.offset,
    distinct: true,
  });
  return { items: rows.map(toUserView), total: count, limit: query.limit, offset: query.offset };
}

/**
 * Replaces a user's roles and ends that user's sessions, so the next access token carries the new
 * roles. The last admin cannot lose the role, or nobody could administer the shop.
 */
export async function setRoles(callerId: string, userId: string, roles: Role[]): Promise<UserView> {
  const wanted = [...new Set(roles)].sort();
  return User.sequelize!.transaction(async (transaction) => {
    // Serialises role changes so two admins demoting each other cannot both succeed: the second
    // finds its own admin role gone.
    await lockRoleChanges(transaction);
    await requireStoredPermission(callerId, 'users:manage', transaction);
    const user = await findUser(userId, transaction);
    const held = rolesOf(user);
    if (held.join() === wanted.join()) return toUserView(user);
    if (held.includes('admin') && !wanted.includes('admin')) {
      const admins = await UserRole.count({ where: { role: 'admin' }, transaction });
      if (admins <= 1) throw problems.conflict('last-admin', 'The last admin cannot lose the admin role');
    }
    await UserRole.destroy({ where: { userId }, transaction });
    await UserRole.bulkCreate(
      wanted.map((role) => ({ userId, role })),
      { transaction },
    );
    await revokeFamiliesOf(userId, transaction);
    return toUserView(await findUser(userId, transaction));
  });
}
