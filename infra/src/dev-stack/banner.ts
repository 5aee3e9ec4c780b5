import { DEFAULT_ADMIN } from './stack.js';

export interface ReadyFacts {
  gatewayUrl: string;
  services: string[];
  admin: { email: string; password: string };
  seconds: number;
  /** Where the sandboxes show what the shop sent. */
  sandboxes?: { inboxUrl: string; smsUrl: string; paymentsUrl: string };
}

/** The line `npm start` prints once the shop answers. */
export function readyBanner({ gatewayUrl, services, admin, seconds, sandboxes }: ReadyFacts): string {
  // A password of one's own is a secret (terminals get shared, recorded, pasted into issues); the
  // built-in one is in the README already, and showing it saves a developer the look-up.
  const password = admin.password === DEFAULT_ADMIN.password ? admin.password : '(from ADMIN_PASSWORD)';
  const outbox = sandboxes
    ? ` E-mail lands in ${sandboxes.inboxUrl}, SMS in ${sandboxes.smsUrl}, MercadoPago payments in ${sandboxes.paymentsUrl}.`
    : '';
  return `Escalable shop ready at ${gatewayUrl} in ${seconds.toFixed(1)} s (${services.join(', ')}; admin ${admin.email} / ${password}).${outbox} Ctrl-C stops it.`;
}
