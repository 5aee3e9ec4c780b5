import type { Money, NotificationLocale } from '@escalable/shop-sdk';

/** Spanish is written for Argentina, the shop's home; English in the US style. */
const LANGUAGE_TAGS: Record<NotificationLocale, string> = { es: 'es-AR', en: 'en-US' };

/** Times are shown in the shop's own time zone, the one its customers live in. */
const SHOP_TIME_ZONE = 'America/Argentina/Buenos_Aires';

export interface Formatter {
  /** `$ 12.345,67` in es-AR, `ARS 12,345.67` in en-US: minor units scaled by the currency's own digits. */
  money(amount: Money): string;
  dateTime(iso: string): string;
}

export function formatterFor(locale: NotificationLocale): Formatter {
  const tag = LANGUAGE_TAGS[locale];
  const dates = new Intl.DateTimeFormat(tag, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: SHOP_TIME_ZONE,
  });
  return {
    money({ amount, currency }) {
      const format = new Intl.NumberFormat(tag, { style: 'currency', currency });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(amount / 10 ** digits);
    },
    dateTime: (iso) => dates.format(new Date(iso)),
  };
}
