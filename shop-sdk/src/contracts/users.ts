import type { Permission, Role } from '../auth/permissions.js';

export type Locale = 'es' | 'en';

export interface ShippingAddress {
  label?: string;
  recipient: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone?: string;
  isDefault: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  locale: Locale;
  roles: Role[];
  permissions: Permission[];
  shippingAddresses: ShippingAddress[];
  createdAt: string;
  updatedAt: string;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

export interface Session {
  user: User;
  tokens: TokenPair;
}

export interface RegisterRequest {
  email: string;
  password: string;
  name: string;
  phone?: string;
  locale?: Locale;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface ProfileUpdate {
  name?: string;
  phone?: string | null;
  locale?: Locale;
  shippingAddresses?: ShippingAddress[];
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export interface UserListQuery {
  limit?: number;
  offset?: number;
  /** Part of an e-mail or name. */
  search?: string;
  role?: Role;
}

/** What other services may read about a user to reach them (notification-service). */
export interface UserContact {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  locale: Locale;
}
