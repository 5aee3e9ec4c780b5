import { randomUUID } from 'node:crypto';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import {
  Problem,
  problems,
  type LoginRequest,
  type PasswordChange,
  type ProfileUpdate,
  type RegisterRequest,
  type Role,
  type Session,
  type User as UserView,
  type UserContact,
} from '@escalable/shop-sdk';
import { emailIs, ShippingAddress, User, UserRole } from '../db/models.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Sessions } from './sessions.js';
import { toContact, toUserView, withRolesAndAddresses } from './user-view.js';

export interface AccountsDependencies {
  sessions: Sessions;
  throttle: LoginThrottle;
}

const MAX_SHIPPING_ADDRESSES = 10;

/** Sign-up, sign-in and each user's own profile. */
export class Accounts {
  constructor(private readonly deps: AccountsDependencies) {}

  async register(input: RegisterRequest): Promise<Session> {
    const passwordHash = await hashPassword(input.password);
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
        transaction
      );
      const tokens = await this.deps.sessions.start(user, transaction);
      return { user: toUserView(user), tokens };
    });
  }

  async login(input: LoginRequest, clientIp: string): Promise<Session> {
    const { throttle, sessions } = this.deps;
    await throttle.countAttempt(input.email, clientIp);
    const user = await User.findOne({ where: emailIs(input.email), include: withRolesAndAddresses });
    if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
      throw problems.unauthorized('The e-mail or the password is wrong');
    }
    await throttle.recordSuccess(input.email, clientIp);
    const tokens = await User.sequelize!.transaction((transaction) => sessions.start(user, transaction));
    return { user: toUserView(user), tokens };
  }

  async profile(userId: string): Promise<UserView> {
    return toUserView(await findUser(userId));
  }

  async contact(userId: string): Promise<UserContact> {
    return toContact(await findUser(userId));
  }

  async updateProfile(userId: string, update: ProfileUpdate): Promise<UserView> {
    const addresses = update.shippingAddresses;
    if (addresses && addresses.filter((address) => address.isDefault).length > 1) {
      throw problems.validation([
        { in: 'body', name: 'shippingAddresses', reason: 'at most one address can be the default' },
      ]);
    }
    if (addresses && addresses.length > MAX_SHIPPING_ADDRESSES) {
      throw problems.validation([
        { in: 'body', name: 'shippingAddresses', reason: `at most ${MAX_SHIPPING_ADDRESSES} addresses` },
      ]);
    }
    await User.sequelize!.transaction(async (transaction) => {
      const user = await User.findByPk(userId, { transaction, lock: transaction.LOCK.UPDATE });
      if (!user) throw problems.notFound('The user');
      const { shippingAddresses: _replaced, ...fields } = update;
      user.set(fields);
      user.changed('updatedAt', true);
      await user.save({ transaction });
      if (addresses) {
        await ShippingAddress.destroy({ where: { userId }, transaction });
        const hasDefault = addresses.some((address) => address.isDefault);
        await ShippingAddress.bulkCreate(
          addresses.map((address, position) => ({
            ...address,
            id: randomUUID(),
            userId,
            position,
            label: address.label ?? null,
            line2: address.line2 ?? null,
            region: address.region ?? null,
            phone: address.phone ?? null,
            // The first address is the default when none is marked, so checkout always has one.
            isDefault: hasDefault ? address.isDefault : position === 0,
          })),
          { transaction }
        );
      }
    });
    return this.profile(userId);
  }

  /** Changes the password and signs the user out everywhere; access tokens lapse within their TTL. */
  async changePassword(userId: string, change: PasswordChange): Promise<void> {
    const user = await findUser(userId);
    if (!(await verifyPassword(user.passwordHash, change.currentPassword))) {
      throw new Problem({
        status: 403,
        type: 'wrong-password',
        title: 'The current password is wrong',
        detail: 'Send the password this account signs in with as currentPassword',
      });
    }
    const passwordHash = await hashPassword(change.newPassword);
    await User.sequelize!.transaction(async (transaction) => {
      await User.update({ passwordHash }, { where: { id: userId }, transaction });
      await this.deps.sessions.revokeAllOf(userId, transaction);
    });
  }
}

export async function findUser(userId: string, transaction?: Transaction): Promise<User> {
  const user = await User.findByPk(userId, { include: withRolesAndAddresses, transaction });
  if (!user) throw problems.notFound('The user');
  return user;
}

/** Creates an account with its roles; a taken e-mail (in any letter case) is a 409. */
export async function createUser(
  fields: Pick<User, 'email' | 'name' | 'phone' | 'locale' | 'passwordHash'>,
  roles: Role[],
  transaction: Transaction
): Promise<User> {
  const id = randomUUID();
  try {
    await User.create({ id, ...fields }, { transaction });
  } catch (error) {
    if (error instanceof UniqueConstraintError) {
      throw problems.conflict('email-taken', 'An account with this e-mail already exists');
    }
    throw error;
  }
  await UserRole.bulkCreate(
    roles.map((role) => ({ userId: id, role })),
    { transaction }
  );
  return findUser(id, transaction);
}
