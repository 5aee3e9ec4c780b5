import { problems } from '@escalable/shop-sdk';
import { parseInput } from '@escalable/shop-sdk/server';
import { z } from 'zod';
import { advanceSmsStatus } from '../db/deliveries.js';
import type { SmsChannel } from './sms-channel.js';

/**
 * Twilio's message statuses that change what a delivery says, with their rank: a delivery only moves
 * forward, so a `sent` arriving after `delivered` changes nothing. Earlier ones (queued, sending) say
 * no more than the delivery already does.
 */
const OUTCOMES = new Map<string, { status: 'sent' | 'delivered' | 'failed'; rank: number }>([
  ['sent', { status: 'sent', rank: 1 }],
  ['delivered', { status: 'delivered', rank: 2 }],
  ['undelivered', { status: 'failed', rank: 2 }],
  ['failed', { status: 'failed', rank: 2 }],
]);

/**
 * The fields read from a callback; Twilio posts many more, which are left alone. A status Twilio adds
 * later passes through and changes nothing. The error code becomes the delivery's last error, so it is
 * held to Twilio's numeric codes.
 */
const statusCallback = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/, 'must be a Twilio SID: 2 letters and 32 hex digits'),
  MessageStatus: z.string().max(40),
  ErrorCode: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a Twilio error code of at most 10 digits')
    .optional(),
});

/**
 * Applies a Twilio status callback. Its signature is checked first over every posted parameter; a
 * missing or wrong one is a 403 and nothing is read further. A malformed field is a 400 that changes
 * nothing; an unknown message SID is a 404.
 */
export async function recordTwilioStatus(
  params: Record<string, string>,
  signature: string | undefined,
  sms: SmsChannel,
): Promise<void> {
  if (!sms.isSignedByTwilio(signature, params))
    throw problems.forbidden('The X-Twilio-Signature does not match this request');
  const callback = parseInput(statusCallback, params, 'body');
  const sid = callback.MessageSid;
  const outcome = OUTCOMES.get(callback.MessageStatus);
  const reason =
    outcome?.status === 'failed'
      ? `Twilio: ${callback.MessageStatus}${callback.ErrorCode ? ` (${callback.ErrorCode})` : ''}`
      : null;
  // Rank 0 moves nothing: an earlier status only tells whether the SID is ours.
  const { status, rank } = outcome ?? { status: 'sent' as const, rank: 0 };
  const known = await advanceSmsStatus(sid, status, rank, reason);
  if (!known) throw problems.notFound('The message', { detail: `No SMS delivery has the SID ${sid}` });
}
