import { z } from 'zod';
import { ROLES } from '@escalable/shop-sdk';

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'must be an e-mail address' }))
  .transform((value) => value.toLowerCase());

/** Length is what makes a password strong (NIST SP 800-63B); the upper bound caps hashing cost. */
export const newPassword = z.string().min(10, 'must be at least 10 characters').max(128);
export const anyPassword = z.string().min(1).max(128);

export const name = z.string().trim().min(1).max(100);
export const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form, e.g. +5491122334455');
export const locale = z.enum(['es', 'en']);
export const role = z.enum(ROLES);
export const userId = z.uuid({ error: 'must be a user id (UUID)' });

export const shippingAddress = z.strictObject({
  label: z.string().trim().min(1).max(50).optional(),
  recipient: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. AR'),
  phone: phone.optional(),
  isDefault: z.boolean().default(false),
});

export const refreshTokenBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });
