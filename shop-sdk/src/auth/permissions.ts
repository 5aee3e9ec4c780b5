/**
 * Roles and the permissions the shop checks. user-service grants permissions through roles and writes
 * them into the access token; every other service checks permissions, never role names, so a role
 * can change what it grants without touching the services.
 */
export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'profile:read',
  'profile:write',
  'users:read',
  'users:manage',
  'catalog:write',
  'inventory:write',
  'orders:read-all',
  'orders:manage',
  'payments:read-all',
  'notifications:read-all',
  'notifications:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The grant each role starts with; user-service seeds its roles table from this. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  customer: ['profile:read', 'profile:write'],
  admin: PERMISSIONS,
};
