import { z } from 'zod';
import { uuid } from '@escalable/shop-sdk/server';
import { isUuid } from '../domain/values.js';

export const productId = uuid('product');
export const variantId = uuid('variant');
export const categoryId = uuid('category');

export const slug = z
  .string()
  .max(120)
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'must be lowercase letters and digits joined by single hyphens, e.g. red-shoes',
  )
  // Keys shaped like a UUID are read as ids, so a slug like that could never be found.
  .refine((value) => !isUuid(value), 'must not be shaped like a UUID');
/**
 * An id or a slug, as `error` describes it. Ids are compared as text once parsed, so they are read in
 * lower case like the kit's `uuid`; slugs already are.
 */
export const idOrSlug = (error: string) =>
  z.union([z.uuid(), slug], { error }).transform((key) => key.toLowerCase());
export const name = z.string().trim().min(1).max(200);

export const sku = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, hyphens or underscores');
export const variantOptions = z
  .record(z.string().trim().min(1).max(50), z.string().trim().min(1).max(100))
  .refine((options) => Object.keys(options).length <= 10, 'at most 10 options');
export const quantity = z.number().int('must be a whole number').min(1).max(1_000_000);
export const stock = z.number().int('must be a whole number').min(0).max(1_000_000);
export const categoryIds = z
  .array(categoryId)
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a category');

/** Order ids come from order-service; any short opaque token is accepted. */
export const orderId = z
  .string()
  .regex(/^[A-Za-z0-9][\w.:-]{0,63}$/, 'must be 1-64 letters, digits, _ . : or -');
