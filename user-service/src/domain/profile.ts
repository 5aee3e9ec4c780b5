import { randomUUID } from 'node:crypto';
import { problems, type ProfileUpdate, type User as UserView, type UserContact } from '@escalable/shop-sdk';
import { ShippingAddress, User } from '../db/models.js';
import { findContactFields, findUser } from './users.js';
import { toContact, toUserView } from './user-view.js';

const MAX_SHIPPING_ADDRESSES = 10;

export async function profile(userId: string): Promise<UserView> {
  return toUserView(await findUser(userId));
}

/** What another service may know to reach a user. */
export async function contact(userId: string): Promise<UserContact> {
  return toContact(await findContactFields(userId));
}

export async function updateProfile(userId: string, update: ProfileUpdate): Promise<UserView> {
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
        { transaction },
      );
    }
  });
  return profile(userId);
}
