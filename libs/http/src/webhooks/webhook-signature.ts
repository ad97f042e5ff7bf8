import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signature older or newer than this is refused, so a captured request cannot be replayed later. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** `sha256=<hex HMAC-SHA256(secret, "${timestamp}.${rawBody}")>`: what senders put in the signature header. */
export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export interface WebhookSignatureInput {
  secret: string | undefined;
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  rawBody: Buffer | undefined;
  now: Date;
  toleranceSeconds?: number;
}

/**
 * Checks a signed webhook: the timestamp (unix seconds) within ±300 s of now, then the HMAC over the exact
 * bytes received, compared in constant time. Returns why it failed, or null when it is genuine.
 */
export function verifyWebhookSignature(input: WebhookSignatureInput): string | null {
  const { secret, signature, timestamp, rawBody, now } = input;
  if (!secret) return 'the webhook is not configured';
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || !signature || !timestamp) {
    return 'X-Signature and X-Signature-Timestamp are required';
  }
  if (!rawBody) return 'the body is missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-Signature-Timestamp must be unix seconds';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) {
    return 'the signature timestamp is too old or in the future';
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the signature does not match';
  return null;
}
