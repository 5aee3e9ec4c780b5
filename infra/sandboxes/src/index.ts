export {
  startSmtpSandbox,
  type SandboxMessage,
  type SmtpReply,
  type SmtpSandbox,
  type SmtpSandboxOptions,
} from './smtp/smtp-sandbox.js';
export {
  startTwilioSandbox,
  type SandboxSms,
  type TwilioSandbox,
  type TwilioSandboxOptions,
} from './twilio/twilio-sandbox.js';
export {
  startMercadoPagoSandbox,
  type CheckoutOutcome,
  type MercadoPagoSandbox,
  type MercadoPagoSandboxOptions,
  type NotificationAction,
  type SandboxNotification,
  type SandboxPayment,
  type SandboxPreference,
  type SandboxRefund,
} from './mercadopago/mercadopago-sandbox.js';
