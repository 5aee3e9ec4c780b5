import type { SandboxSms } from './twilio-sandbox.js';

export const API_VERSION = '2010-04-01';

export const messagePath = (accountSid: string, sid: string) =>
  `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`;

/** A Message as Twilio's REST API represents it (snake_case, RFC 2822 dates, counts as strings). */
export function messageResource(sms: SandboxSms): Record<string, unknown> {
  const created = rfc2822(sms.dateCreated);
  return {
    account_sid: sms.accountSid,
    api_version: API_VERSION,
    body: sms.body,
    date_created: created,
    date_sent: sms.status === 'sent' || sms.status === 'delivered' ? created : null,
    date_updated: created,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: sms.from,
    messaging_service_sid: sms.messagingServiceSid,
    num_media: '0',
    num_segments: String(segmentsOf(sms.body)),
    price: null,
    price_unit: 'USD',
    sid: sms.sid,
    status: sms.status,
    subresource_uris: { media: messagePath(sms.accountSid, sms.sid).replace(/\.json$/, '/Media.json') },
    to: sms.to,
    uri: messagePath(sms.accountSid, sms.sid),
  };
}

function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

// GSM-7 fits 160 characters in one SMS (153 a part when split); anything else is UCS-2 (70, 67).
// Printable ASCII stands in for the GSM alphabet here: close enough for a sandbox's count.
function segmentsOf(body: string): number {
  const gsm = /^[\x20-\x7e\n\r]*$/.test(body);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}
