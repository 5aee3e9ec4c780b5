import escapeHtml from 'escape-html';
import type { SandboxPayment, SandboxPreference } from './mercadopago-sandbox.js';
import { formatMoney } from './money.js';

const STYLE = `body{font:15px system-ui,sans-serif;margin:2rem auto;max-width:36rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd}
td.n,th.n{text-align:right}.total{font-size:1.3rem;font-weight:600}.sandbox{color:#a15c00}
button{font:inherit;padding:.6rem 1.2rem;margin-right:.6rem;border-radius:.4rem;border:1px solid #888;cursor:pointer}
button[value=approve]{background:#009ee3;border-color:#009ee3;color:#fff}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(
    title,
  )}</title><style>${STYLE}</style></head><body>${body}<p class="sandbox">MercadoPago sandbox: no money moves.</p></body></html>`;
}

/** The Checkout Pro page of a preference: what is bought, the total, and approve or reject. */
export function checkoutPage(preference: SandboxPreference, formAction: string): string {
  const rows = preference.items
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.title)}</td><td class="n">${item.quantity}</td>` +
        `<td class="n">${escapeHtml(formatMoney(item.unitPrice, item.currencyId))}</td></tr>`,
    )
    .join('');
  const payer = preference.payer.email ? `<p>Paying as ${escapeHtml(preference.payer.email)}</p>` : '';
  return page(
    'Pay with MercadoPago',
    `<h1>Pay with MercadoPago</h1>${payer}` +
      `<table><thead><tr><th>Item</th><th class="n">Quantity</th><th class="n">Unit price</th></tr></thead><tbody>${rows}</tbody></table>` +
      `<p class="total">Total <span id="total">${escapeHtml(
        formatMoney(preference.total, preference.currencyId),
      )}</span></p>` +
      `<form method="post" action="${escapeHtml(formAction)}">` +
      `<button type="submit" name="action" value="approve">Approve payment</button>` +
      `<button type="submit" name="action" value="reject">Reject payment</button></form>`,
  );
}

/** After paying, when the preference has no back_url to return to. */
export function paymentResultPage(payment: SandboxPayment): string {
  const approved = payment.status === 'approved';
  return page(
    approved ? 'Payment approved' : 'Payment rejected',
    `<h1>Payment ${approved ? 'approved' : 'rejected'}</h1>` +
      `<p>Payment ${payment.id}: ${escapeHtml(
        formatMoney(payment.transactionAmount, payment.currencyId),
      )}</p>`,
  );
}

/** A preference that cannot be paid, or a form post that makes no sense. */
export function refusalPage(message: string): string {
  return page('Payment unavailable', `<h1>Payment unavailable</h1><p>${escapeHtml(message)}</p>`);
}
