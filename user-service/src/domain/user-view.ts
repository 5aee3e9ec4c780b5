import {
  ROLE_PERMISSIONS,
  type Permission,
  type Role,
  type User as UserView,
  type UserContact,
} from '@escalable/shop-sdk';
import { type AccessClaims } from '@escalable/shop-sdk/internal';
import { ShippingAddress, User, UserRole } from '../db/models.js';

/** Loads what a user view needs in one query. */
export const withRolesAndAddresses = [
  { model: UserRole, as: 'roles' },
  { model: ShippingAddress, as: 'shippingAddresses' },
];

export function permissionsFor(roles: readonly Role[]): Permission[] {
  return [...new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]))];
}

export function rolesOf(user: User): Role[] {
  return (user.roles ?? []).map((row) => row.role).sort();
}

export function claimsFor(user: User): AccessClaims {
  const roles = rolesOf(user);
  return { sub: user.id, email: user.email, roles, permissions: permissionsFor(roles) };
}

export function toUserView(user: User): UserView {
  const roles = rolesOf(user);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    phone: user.phone,
    locale: user.locale,
    roles,
    permissions: permissionsFor(roles),
    shippingAddresses: [...(user.shippingAddresses ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((address) => ({
        label: address.label ?? undefined,
        recipient: address.recipient,
        line1: address.line1,
        line2: address.line2 ?? undefined,
        city: address.city,
        region: address.region ?? undefined,
        postalCode: address.postalCode,
        country: address.country,
        phone: address.phone ?? undefined,
        isDefault: address.isDefault,
      })),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** The columns {@link toContact} reads: a contact lookup reads these alone. */
export const contactFields = ['id', 'email', 'name', 'phone', 'locale'] as const;

export function toContact(user: User): UserContact {
  return { id: user.id, email: user.email, name: user.name, phone: user.phone, locale: user.locale };
}
