import type { SandboxPayment, SandboxPreference, SandboxRefund } from './mercadopago-sandbox.js';

// MercadoPago's site for each currency (ARS is Argentina's MLA, BRL Brazil's MLB, ...).
const SITES: Record<string, string> = {
  ARS: 'MLA',
  BRL: 'MLB',
  MXN: 'MLM',
  CLP: 'MLC',
  COP: 'MCO',
  PEN: 'MPE',
  UYU: 'MLU',
};
export const siteOf = (currency: string) => SITES[currency] ?? 'MLA';

/** A preference as GET /checkout/preferences/:id answers it (the fields a Checkout Pro integration reads). */
export function preferenceResource(
  preference: SandboxPreference,
  collectorId: number,
): Record<string, unknown> {
  return {
    additional_info: '',
    auto_return: preference.autoReturn ?? '',
    back_urls: {
      success: preference.backUrls.success ?? '',
      pending: preference.backUrls.pending ?? '',
      failure: preference.backUrls.failure ?? '',
    },
    binary_mode: false,
    client_id: String(collectorId),
    collector_id: collectorId,
    date_created: preference.dateCreated,
    date_of_expiration: null,
    expiration_date_from: preference.expirationDateFrom,
    expiration_date_to: preference.expirationDateTo,
    expires: preference.expires,
    external_reference: preference.externalReference ?? '',
    id: preference.id,
    init_point: preference.initPoint,
    items: preference.items.map((item) => ({
      id: item.id,
      category_id: '',
      currency_id: item.currencyId,
      description: item.description,
      title: item.title,
      quantity: item.quantity,
      unit_price: item.unitPrice,
    })),
    marketplace: 'NONE',
    marketplace_fee: 0,
    metadata: preference.metadata,
    notification_url: preference.notificationUrl,
    operation_type: 'regular_payment',
    payer: {
      email: preference.payer.email ?? '',
      name: preference.payer.name ?? '',
      surname: preference.payer.surname ?? '',
      phone: { area_code: '', number: '' },
      identification: { type: '', number: '' },
      address: { zip_code: '', street_name: '', street_number: null },
      date_created: null,
    },
    payment_methods: {
      default_card_id: null,
      default_payment_method_id: null,
      excluded_payment_methods: [{ id: '' }],
      excluded_payment_types: [{ id: '' }],
      installments: null,
      default_installments: null,
    },
    redirect_urls: { success: '', pending: '', failure: '' },
    // Both point at the sandbox's own page: there is no separate test checkout to send a buyer to.
    sandbox_init_point: preference.initPoint,
    site_id: siteOf(preference.currencyId),
    shipments: { default_shipping_method: null, receiver_address: {} },
  };
}

/**
 * A payment as GET /v1/payments/:id answers it, shaped like a real Checkout Pro card payment. It has no
 * preference_id, as MercadoPago's has none: the order is found by external_reference.
 */
export function paymentResource(payment: SandboxPayment, collectorId: number): Record<string, unknown> {
  const approvedAt = payment.dateApproved;
  return {
    id: payment.id,
    date_created: payment.dateCreated,
    date_approved: approvedAt,
    date_last_updated: payment.dateLastUpdated,
    date_of_expiration: null,
    money_release_date: approvedAt,
    money_release_status: approvedAt ? 'released' : null,
    operation_type: 'regular_payment',
    issuer_id: '3',
    payment_method_id: 'master',
    payment_type_id: 'credit_card',
    status: payment.status,
    status_detail: payment.statusDetail,
    currency_id: payment.currencyId,
    description: payment.description,
    live_mode: false,
    sponsor_id: null,
    authorization_code: null,
    collector_id: collectorId,
    payer: {
      id: null,
      email: payment.payerEmail,
      identification: { type: null, number: null },
      type: null,
    },
    metadata: {},
    additional_info: {},
    order: { id: String(payment.merchantOrderId), type: 'mercadopago' },
    external_reference: payment.externalReference,
    transaction_amount: payment.transactionAmount,
    transaction_amount_refunded: payment.amountRefunded,
    coupon_amount: 0,
    installments: 1,
    transaction_details: {
      net_received_amount: payment.transactionAmount,
      total_paid_amount: payment.transactionAmount,
      overpaid_amount: 0,
      installment_amount: payment.transactionAmount,
      external_resource_url: null,
      financial_institution: null,
      payment_method_reference_id: null,
    },
    fee_details: [],
    captured: true,
    binary_mode: false,
    statement_descriptor: 'ESCALABLE',
    card: { first_six_digits: '503175', last_four_digits: '0604', cardholder: { name: 'APRO' } },
    notification_url: payment.notificationUrl,
    refunds: payment.refunds.map(refundResource),
    processing_mode: 'aggregator',
    point_of_interaction: {
      type: 'UNSPECIFIED',
      business_info: { unit: 'online_payments', sub_unit: 'checkout_pro' },
    },
  };
}

/** A refund as POST /v1/payments/:id/refunds answers it. */
export function refundResource(refund: SandboxRefund): Record<string, unknown> {
  return {
    id: refund.id,
    payment_id: refund.paymentId,
    amount: refund.amount,
    metadata: {},
    source: { id: '', name: 'Escalable sandbox', type: 'collector' },
    date_created: refund.dateCreated,
    unique_sequence_number: null,
    refund_mode: 'standard',
    adjustment_amount: 0,
    status: refund.status,
    reason: null,
    amount_refunded_to_payer: refund.amount,
  };
}
