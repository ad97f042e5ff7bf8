import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signWebForm(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/**
 * Verifies `X-Signature: sha256=<hex>` = HMAC-SHA256(secret, `${timestamp}.${rawBody}`) with the timestamp
 * within ±5 minutes of now (a captured request cannot be replayed later). Returns why it failed, or null.
 */
export function verifyWebForm(opts: {
  secret: string | undefined;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer | undefined;
  now: Date;
}): string | null {
  if (!opts.secret) return 'web-form intake is not configured';
  if (!opts.signature || !opts.timestamp) return 'X-Signature and X-Signature-Timestamp are required';
  if (!opts.rawBody) return 'the body is missing';
  if (!/^\d{1,12}$/.test(opts.timestamp)) return 'X-Signature-Timestamp must be unix seconds';
  if (Math.abs(opts.now.getTime() / 1000 - Number(opts.timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'the signature timestamp is too old or in the future';
  const expected = Buffer.from(signWebForm(opts.secret, opts.timestamp, opts.rawBody));
  const given = Buffer.from(opts.signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the signature does not match';
  return null;
}
