import { problems } from '@escalable/shop-sdk';
import { advanceSmsStatus } from '../db/deliveries.js';
import type { SmsChannel } from './sms-channel.js';

/**
 * Twilio's message statuses that change what a delivery says, with their rank: a delivery only moves
 * forward, so a `sent` arriving after `delivered` changes nothing. Earlier ones (queued, sending) say
 * no more than the delivery already does.
 */
const OUTCOMES: Record<string, { status: 'sent' | 'delivered' | 'failed'; rank: number }> = {
  sent: { status: 'sent', rank: 1 },
  delivered: { status: 'delivered', rank: 2 },
  undelivered: { status: 'failed', rank: 2 },
  failed: { status: 'failed', rank: 2 },
};

/**
 * Applies a Twilio status callback. Its signature is checked first over every posted parameter; a
 * missing or wrong one is a 403 and nothing is read further. An unknown message SID is a 404.
 */
export async function recordTwilioStatus(
  params: Record<string, string>,
  signature: string | undefined,
  sms: SmsChannel,
): Promise<void> {
  if (!sms.isSignedByTwilio(signature, params))
    throw problems.forbidden('The X-Twilio-Signature does not match this request');
  const sid = params.MessageSid;
  if (!sid) throw problems.notFound('The message', { detail: 'The callback names no MessageSid' });
  const outcome = OUTCOMES[params.MessageStatus ?? ''];
  const reason =
    outcome?.status === 'failed'
      ? `Twilio: ${params.MessageStatus}${params.ErrorCode ? ` (${params.ErrorCode})` : ''}`
      : null;
  // Rank 0 moves nothing: an earlier status only tells whether the SID is ours.
  const { status, rank } = outcome ?? { status: 'sent' as const, rank: 0 };
  const known = await advanceSmsStatus(sid, status, rank, reason);
  if (!known) throw problems.notFound('The message', { detail: `No SMS delivery has the SID ${sid}` });
}
