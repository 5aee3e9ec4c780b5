// MercadoPago's amounts are decimals in the currency's major unit (75.76); sums and comparisons are
// made in hundredths so that 0.1 + 0.2 stays 0.3.
export const toCents = (amount: number) => Math.round(amount * 100);
export const fromCents = (cents: number) => cents / 100;

/** "ARS 1500.00": the currency's own number of decimals, and nothing a locale would change. */
export function formatMoney(amount: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return `${currency} ${amount.toFixed(digits)}`;
}
