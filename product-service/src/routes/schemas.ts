import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from '@escalable/shop-sdk/server';
import { INTEGER_MAX, isUuid } from '../domain/values.js';

/** A path parameter read with its schema; a refusal names the parameter (`id`, `variantId`). */
export function pathParam<S extends z.ZodType>(req: Request, name: string, schema: S): z.output<S> {
  return parseInput(schema, req.params[name], 'params', name);
}

/** Ids are compared as text once parsed (sets, maps, answers), so every route reads them in lower case. */
const inLowerCase = (key: string) => key.toLowerCase();

export const uuid = (what: string) => z.uuid({ error: `must be a ${what} id (UUID)` }).transform(inLowerCase);
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
/** An id or a slug, as `error` describes it; lower-casing it only changes an id, since slugs already are. */
export const idOrSlug = (error: string) => z.union([z.uuid(), slug], { error }).transform(inLowerCase);
export const name = z.string().trim().min(1).max(200);

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const money = z.strictObject({
  amount: z.number().int('must be an integer number of minor units').min(0).max(INTEGER_MAX),
  currency: z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 code, e.g. ARS'),
});
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
