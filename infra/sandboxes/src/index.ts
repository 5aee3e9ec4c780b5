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
