import countries from 'i18n-iso-countries';
import { z } from 'zod';
import type { ShippingAddress } from '../contracts/users.js';

/** The largest value of a PostgreSQL `integer` column: amounts, stock and counts are stored in one. */
export const INTEGER_MAX = 2_147_483_647;

/** Ids are compared as text once parsed (sets, maps, answers), so every route reads them in lower case. */
export const uuid = (what: string) =>
  z.uuid({ error: `must be a ${what} id (UUID)` }).transform((id) => id.toLowerCase());

/** A whole number above zero, read from text: for environment variables. */
export const positiveInt = z.coerce.number().int().positive();

/** A service's instances, as its `*_SERVICE_URL` variable names them: URLs, comma-separated. */
export const serviceUrls = z
  .string()
  .refine(
    (value) => value.split(',').every((url) => URL.canParse(url.trim())),
    'must be URLs, comma-separated',
  );

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = z
  .string()
  .refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 code, e.g. ARS');

/** The Money contract: integer minor units (centavos) and an ISO 4217 currency. */
export const money = z.strictObject({
  amount: z.number().int('must be an integer number of minor units').min(0).max(INTEGER_MAX),
  currency: currencyCode,
});

// ISO 3166 leaves AA, QM-QZ, XA-XZ and ZZ to users (Kosovo's XK among them): no country is sure to
// have them, so a carrier cannot ship to them.
const USER_ASSIGNED = /^(AA|Q[M-Z]|X[A-Z]|ZZ)$/;
const COUNTRIES = new Set(
  Object.keys(countries.getAlpha2Codes()).filter((code) => !USER_ASSIGNED.test(code)),
);

/** An assigned ISO 3166-1 alpha-2 country code, in capitals (`AR`). */
export const countryCode = z
  .string()
  .refine((code) => COUNTRIES.has(code), 'must be an ISO 3166-1 alpha-2 code, e.g. AR');

export const phoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form, e.g. +5491122334455');

/** The ShippingAddress contract as a client sends it; `isDefault` defaults to false. */
export const shippingAddress = z.strictObject({
  label: z.string().trim().min(1).max(50).optional(),
  recipient: z.string().trim().min(1).max(100),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: countryCode,
  phone: phoneNumber.optional(),
  isDefault: z.boolean().default(false),
}) satisfies z.ZodType<ShippingAddress>;
