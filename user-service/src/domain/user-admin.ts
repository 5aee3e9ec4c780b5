import { Op, type WhereOptions } from 'sequelize';
import {
  problems,
  type Page,
  type Role,
  type User as UserView,
  type UserListQuery,
} from '@escalable/shop-sdk';
import { User, UserRole } from '../db/models.js';
import { findUser } from './accounts.js';
import { toUserView, withRolesAndAddresses } from './user-view.js';

export async function listUsers(
  query: Required<Pick<UserListQuery, 'limit' | 'offset'>> & UserListQuery
): Promise<Page<UserView>> {
  const where: WhereOptions = {};
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, '\\$&')}%`;
    Object.assign(where, {
      [Op.or]: [{ email: { [Op.iLike]: pattern } }, { name: { [Op.iLike]: pattern } }],
    });
  }
  if (query.role) {
    Object.assign(where, {
      id: {
        [Op.in]: User.sequelize!.literal(
          `(SELECT user_id FROM user_roles WHERE role = ${User.sequelize!.escape(query.role)})`
        ),
      },
    });
  }
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

/** Replaces a user's roles. The last admin cannot lose the role, or nobody could administer the shop. */
export async function setRoles(userId: string, roles: Role[]): Promise<UserView> {
  await User.sequelize!.transaction(async (transaction) => {
    // Serialises role changes so two admins demoting each other cannot both succeed.
    await User.sequelize!.query("SELECT pg_advisory_xact_lock(hashtext('user_roles'))", { transaction });
    const user = await findUser(userId, transaction);
    const wasAdmin = user.roles!.some((row) => row.role === 'admin');
    if (wasAdmin && !roles.includes('admin')) {
      const admins = await UserRole.count({ where: { role: 'admin' }, transaction });
      if (admins <= 1) throw problems.conflict('last-admin', 'The last admin cannot lose the admin role');
    }
    await UserRole.destroy({ where: { userId }, transaction });
    await UserRole.bulkCreate(
      [...new Set(roles)].map((role) => ({ userId, role })),
      { transaction }
    );
  });
  return toUserView(await findUser(userId));
}
