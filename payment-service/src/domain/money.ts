import type { Money } from '@escalable/shop-sdk';

/** Minor-unit digits of a currency as ISO 4217 (through Intl) gives them: 2 for ARS, 0 for CLP. */
function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** MercadoPago takes and answers amounts as decimals of the major unit (`unit_price: 1234.5`). */
export function toDecimal(money: Money): number {
  return money.amount / 10 ** minorDigits(money.currency);
}

/** Rounded, since a decimal such as 1234.56 is not exact in binary (× 100 gives 123455.99…). */
export function toMinorUnits(decimal: number, currency: string): number {
  return Math.round(decimal * 10 ** minorDigits(currency));
}
