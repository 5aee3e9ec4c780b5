import escapeHtml from 'escape-html';
import type {
  NotificationData,
  NotificationLocale,
  NotificationType,
  OrderReference,
} from '@escalable/shop-sdk';
import { formatterFor, type Formatter } from './formatting.js';

/** One notification written out for each channel. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/** What a template says, before it is laid out as text and HTML. */
interface Content {
  subject: string;
  paragraphs: string[];
  list?: string[];
  sms: string;
}

type Template<T extends NotificationType> = (data: NotificationData[T], format: Formatter) => Content;
type Templates = { [T in NotificationType]: Template<T> };

const ref = (order: OrderReference) => order.orderNumber ?? order.orderId;

const SPANISH: Templates = {
  welcome: ({ name }) => ({
    subject: `¡Te damos la bienvenida a Escalable, ${name}!`,
    paragraphs: ['Tu cuenta está lista. Ya podés comprar en la tienda.'],
    sms: `Escalable: ¡hola ${name}! Tu cuenta está lista.`,
  }),
  'password-changed': ({ changedAt }, format) => ({
    subject: 'Cambiaste tu contraseña',
    paragraphs: [
      `La contraseña de tu cuenta se cambió el ${format.dateTime(changedAt)}.`,
      'Si no fuiste vos, restablecela ahora y escribinos.',
    ],
    sms: `Escalable: la contraseña de tu cuenta se cambió el ${format.dateTime(changedAt)}. ¿No fuiste vos? Escribinos.`,
  }),
  'order-placed': (order, format) => ({
    subject: `Recibimos tu pedido ${ref(order)}`,
    paragraphs: [`Total: ${format.money(order.total)}.`, 'Te avisamos cuando se acredite el pago.'],
    list: order.items.map((item) => `${item.quantity} × ${item.name}`),
    sms: `Escalable: recibimos tu pedido ${ref(order)} por ${format.money(order.total)}.`,
  }),
  'payment-approved': (payment, format) => ({
    subject: `Pago aprobado: pedido ${ref(payment)}`,
    paragraphs: [`Acreditamos tu pago de ${format.money(payment.amount)}. Ya estamos preparando tu pedido.`],
    sms: `Escalable: aprobamos tu pago de ${format.money(payment.amount)} del pedido ${ref(payment)}.`,
  }),
  'payment-rejected': (payment) => ({
    subject: `Pago rechazado: pedido ${ref(payment)}`,
    paragraphs: [
      payment.reason ? `Tu pago no fue aprobado: ${payment.reason}.` : 'Tu pago no fue aprobado.',
      'Podés intentar de nuevo con otro medio de pago.',
    ],
    sms: `Escalable: el pago del pedido ${ref(payment)} fue rechazado. Podés intentar con otro medio de pago.`,
  }),
  'order-shipped': (shipment) => ({
    subject: `Tu pedido ${ref(shipment)} está en camino`,
    paragraphs: [
      `Lo despachamos con ${shipment.carrier}.`,
      `Número de seguimiento: ${shipment.trackingNumber}.`,
    ],
    sms: `Escalable: tu pedido ${ref(shipment)} va en camino con ${shipment.carrier}. Seguimiento: ${shipment.trackingNumber}.`,
  }),
  'order-delivered': (order) => ({
    subject: `Tu pedido ${ref(order)} fue entregado`,
    paragraphs: ['¡Que lo disfrutes! Gracias por comprar en Escalable.'],
    sms: `Escalable: tu pedido ${ref(order)} fue entregado.`,
  }),
  'order-cancelled': (order) => ({
    subject: `Tu pedido ${ref(order)} fue cancelado`,
    paragraphs: [order.reason ? `Motivo: ${order.reason}.` : 'Si tenés dudas, escribinos.'],
    sms: `Escalable: tu pedido ${ref(order)} fue cancelado.`,
  }),
  'order-refunded': (refund, format) => ({
    subject: `Reintegro del pedido ${ref(refund)}`,
    paragraphs: [
      `Te reintegramos ${format.money(refund.amount)}.`,
      'Puede tardar unos días en verse en tu medio de pago.',
    ],
    sms: `Escalable: te reintegramos ${format.money(refund.amount)} del pedido ${ref(refund)}.`,
  }),
};

const ENGLISH: Templates = {
  welcome: ({ name }) => ({
    subject: `Welcome to Escalable, ${name}!`,
    paragraphs: ['Your account is ready. You can start shopping now.'],
    sms: `Escalable: hi ${name}! Your account is ready.`,
  }),
  'password-changed': ({ changedAt }, format) => ({
    subject: 'Your password was changed',
    paragraphs: [
      `Your account's password was changed on ${format.dateTime(changedAt)}.`,
      "If this wasn't you, reset it now and contact us.",
    ],
    sms: `Escalable: your password was changed on ${format.dateTime(changedAt)}. Not you? Contact us.`,
  }),
  'order-placed': (order, format) => ({
    subject: `We received your order ${ref(order)}`,
    paragraphs: [`Total: ${format.money(order.total)}.`, "We'll let you know when the payment is approved."],
    list: order.items.map((item) => `${item.quantity} × ${item.name}`),
    sms: `Escalable: we received your order ${ref(order)} for ${format.money(order.total)}.`,
  }),
  'payment-approved': (payment, format) => ({
    subject: `Payment approved: order ${ref(payment)}`,
    paragraphs: [
      `We received your payment of ${format.money(payment.amount)}. Your order is being prepared.`,
    ],
    sms: `Escalable: your payment of ${format.money(payment.amount)} for order ${ref(payment)} was approved.`,
  }),
  'payment-rejected': (payment) => ({
    subject: `Payment declined: order ${ref(payment)}`,
    paragraphs: [
      payment.reason ? `Your payment was declined: ${payment.reason}.` : 'Your payment was declined.',
      'You can try again with another payment method.',
    ],
    sms: `Escalable: the payment for order ${ref(payment)} was declined. Try another payment method.`,
  }),
  'order-shipped': (shipment) => ({
    subject: `Your order ${ref(shipment)} is on its way`,
    paragraphs: [`It was shipped with ${shipment.carrier}.`, `Tracking number: ${shipment.trackingNumber}.`],
    sms: `Escalable: your order ${ref(shipment)} shipped with ${shipment.carrier}. Tracking: ${shipment.trackingNumber}.`,
  }),
  'order-delivered': (order) => ({
    subject: `Your order ${ref(order)} was delivered`,
    paragraphs: ['Enjoy it! Thank you for shopping at Escalable.'],
    sms: `Escalable: your order ${ref(order)} was delivered.`,
  }),
  'order-cancelled': (order) => ({
    subject: `Your order ${ref(order)} was cancelled`,
    paragraphs: [order.reason ? `Reason: ${order.reason}.` : 'If you have questions, contact us.'],
    sms: `Escalable: your order ${ref(order)} was cancelled.`,
  }),
  'order-refunded': (refund, format) => ({
    subject: `Refund for order ${ref(refund)}`,
    paragraphs: [
      `We refunded ${format.money(refund.amount)}.`,
      'It may take a few days to show on your payment method.',
    ],
    sms: `Escalable: we refunded ${format.money(refund.amount)} for order ${ref(refund)}.`,
  }),
};

const TEMPLATES: Record<NotificationLocale, Templates> = { es: SPANISH, en: ENGLISH };
const GREETING: Record<NotificationLocale, (name?: string) => string> = {
  es: (name) => (name ? `Hola ${name}:` : 'Hola:'),
  en: (name) => (name ? `Hi ${name},` : 'Hi,'),
};
const SIGNATURE = 'Escalable';

/**
 * Writes a notification in the recipient's language. `data` was checked against the type's schema
 * when the notification was accepted. Everything that came from outside is escaped in the HTML.
 */
export function renderNotification(
  type: NotificationType,
  locale: NotificationLocale,
  data: Record<string, unknown>,
  recipientName?: string,
): RenderedMessage {
  const template = TEMPLATES[locale][type] as Template<NotificationType>;
  const content = template(data as never, formatterFor(locale));
  const greeting = GREETING[locale](recipientName);
  const text = [
    greeting,
    '',
    ...content.paragraphs,
    ...(content.list ? ['', ...content.list.map((item) => `- ${item}`)] : []),
    '',
    SIGNATURE,
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head><body>`,
    `<p>${escapeHtml(greeting)}</p>`,
    ...content.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(content.list ? ['<ul>', ...content.list.map((item) => `<li>${escapeHtml(item)}</li>`), '</ul>'] : []),
    `<p>${SIGNATURE}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html, sms: content.sms };
}
