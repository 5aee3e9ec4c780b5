import { literal, Op, type WhereOptions } from 'sequelize';
import type { Role } from '@escalable/shop-sdk';
import { User } from './models.js';

/** Users whose e-mail or name contains the text, in any letter case; `%`, `_` and `\` match themselves. */
export const emailOrNameContains = (text: string): WhereOptions<User> => {
  const pattern = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  return { [Op.or]: [{ email: { [Op.iLike]: pattern } }, { name: { [Op.iLike]: pattern } }] };
};

/**
 * Users holding the role. A subquery rather than a filtered join, so the users found still load all
 * their roles, not only this one.
 */
export const holdsRole = (role: Role): WhereOptions<User> => ({
  id: {
    [Op.in]: literal(`(SELECT user_id FROM user_roles WHERE role = ${User.sequelize!.escape(role)})`),
  },
});
