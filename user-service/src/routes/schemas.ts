import { z } from 'zod';
import { ROLES } from '@escalable/shop-sdk';
import { uuid } from '@escalable/shop-sdk/server';

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
export const locale = z.enum(['es', 'en']);
export const role = z.enum(ROLES);
export const userId = uuid('user');

export const refreshTokenBody = z.strictObject({ refreshToken: z.string().min(1).max(200) });
