import { badRequestError } from './mercadopago-errors.js';

export interface PreferenceItem {
  id: string;
  title: string;
  description: string;
  quantity: number;
  unitPrice: number;
  currencyId: string;
}

/** What a POST /checkout/preferences/ body asks for, once checked as MercadoPago checks it. */
export interface PreferenceRequest {
  items: PreferenceItem[];
  payer: { email: string | null; name: string | null; surname: string | null };
  externalReference: string | null;
  notificationUrl: string | null;
  backUrls: { success?: string; failure?: string; pending?: string };
  autoReturn: 'approved' | 'all' | null;
  expires: boolean;
  expirationDateFrom: string | null;
  expirationDateTo: string | null;
  metadata: Record<string, unknown>;
}

// MercadoPago accounts charge in their site's currency; an item without one takes the account's.
const DEFAULT_CURRENCY = 'ARS';
const MAX_EXTERNAL_REFERENCE = 256;

/** The preference a body describes, or MercadoPago's 400 for the first thing wrong with it. */
export function parsePreferenceRequest(body: unknown): PreferenceRequest {
  const input = record(body);
  const items = parseItems(input.items);
  const backUrls = parseBackUrls(input.back_urls);
  const autoReturn = input.auto_return ?? null;
  if (autoReturn !== null && autoReturn !== 'approved' && autoReturn !== 'all')
    throw badRequestError('invalid_auto_return', 'auto_return invalid');
  if (autoReturn && !backUrls.success)
    throw badRequestError('invalid_auto_return', 'auto_return invalid. back_url.success must be defined');
  const notificationUrl = input.notification_url ?? null;
  if (notificationUrl !== null && !isHttpUrl(notificationUrl))
    throw badRequestError('invalid_notification_url', 'notification_url attribute must be url valid');
  const externalReference = input.external_reference ?? null;
  if (
    externalReference !== null &&
    (typeof externalReference !== 'string' || externalReference.length > MAX_EXTERNAL_REFERENCE)
  )
    throw badRequestError('invalid_external_reference', 'external_reference invalid');
  const payer = record(input.payer ?? {});
  return {
    items,
    payer: { email: text(payer.email), name: text(payer.name), surname: text(payer.surname) },
    externalReference,
    notificationUrl,
    backUrls,
    autoReturn,
    expires: input.expires === true,
    expirationDateFrom: date(input.expiration_date_from, 'invalid_expiration_date_from'),
    expirationDateTo: date(input.expiration_date_to, 'invalid_expiration_date_to'),
    metadata: input.metadata && typeof input.metadata === 'object' ? record(input.metadata) : {},
  };
}

function parseItems(value: unknown): PreferenceItem[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequestError('invalid_items', 'items needed');
  const items = value.map((entry: unknown) => {
    const item = record(entry);
    if (typeof item.title !== 'string' || item.title.trim() === '')
      throw badRequestError('invalid_items', 'title invalid');
    if (!Number.isInteger(item.quantity) || (item.quantity as number) < 1)
      throw badRequestError('invalid_items', 'quantity invalid');
    if (typeof item.unit_price !== 'number' || !Number.isFinite(item.unit_price) || item.unit_price <= 0)
      throw badRequestError('invalid_items', 'unit_price invalid');
    return {
      id: text(item.id) ?? '',
      title: item.title,
      description: text(item.description) ?? '',
      quantity: item.quantity as number,
      unitPrice: item.unit_price,
      currencyId: text(item.currency_id) ?? DEFAULT_CURRENCY,
    };
  });
  if (new Set(items.map((item) => item.currencyId)).size > 1)
    throw badRequestError('invalid_items', 'currency_id invalid: every item must have the same currency');
  return items;
}

function parseBackUrls(value: unknown): PreferenceRequest['backUrls'] {
  const urls = record(value ?? {});
  const backUrls: PreferenceRequest['backUrls'] = {};
  for (const name of ['success', 'failure', 'pending'] as const) {
    const url = urls[name];
    if (url === undefined || url === '') continue;
    if (!isHttpUrl(url)) throw badRequestError('invalid_back_urls', `back_urls.${name} invalid`);
    backUrls[name] = url;
  }
  return backUrls;
}

function record(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw badRequestError('bad_request', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function date(value: unknown, code: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw badRequestError(code, `${code.replace('invalid_', '')} invalid`);
  return value;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
