import { signWebhook, verifyWebhookSignature, WEBHOOK_TOLERANCE_SECONDS } from './webhook-signature';

describe('webhook signature (HMAC-SHA256 over timestamp.rawBody)', () => {
  const body = Buffer.from('{"name":"Li"}');
  const now = new Date('2026-03-01T00:00:00Z');
  const ts = String(now.getTime() / 1000);
  const base = { secret: 's3cret', timestamp: ts, rawBody: body, now };

  it('accepts the HMAC of the exact bytes with a fresh timestamp, at both edges of the window', () => {
    expect(verifyWebhookSignature({ ...base, signature: signWebhook('s3cret', ts, body) })).toBeNull();
    for (const edge of [-WEBHOOK_TOLERANCE_SECONDS, WEBHOOK_TOLERANCE_SECONDS]) {
      const t = String(Number(ts) + edge);
      expect(verifyWebhookSignature({ ...base, timestamp: t, signature: signWebhook('s3cret', t, body) })).toBeNull();
    }
  });

  it('refuses a wrong key, a changed body, a replay outside ±300 s, malformed or missing headers, or no secret configured', () => {
    expect(verifyWebhookSignature({ ...base, signature: signWebhook('other', ts, body) })).toMatch(/does not match/);
    expect(verifyWebhookSignature({ ...base, rawBody: Buffer.from('{"name":"Lu"}'), signature: signWebhook('s3cret', ts, body) })).toMatch(/does not match/);
    // The timestamp is signed: moving it into the window breaks the signature.
    expect(verifyWebhookSignature({ ...base, signature: signWebhook('s3cret', String(Number(ts) - 301), body) })).toMatch(/does not match/);
    for (const skew of [-301, 301, -86_400]) {
      const t = String(Number(ts) + skew);
      expect(verifyWebhookSignature({ ...base, timestamp: t, signature: signWebhook('s3cret', t, body) })).toMatch(/too old or in the future/);
    }
    expect(verifyWebhookSignature({ ...base, timestamp: '1e9', signature: signWebhook('s3cret', '1e9', body) })).toMatch(/unix seconds/);
    expect(verifyWebhookSignature({ ...base, signature: undefined })).toMatch(/required/);
    expect(verifyWebhookSignature({ ...base, signature: ['a', 'b'] })).toMatch(/required/);
    expect(verifyWebhookSignature({ ...base, rawBody: undefined, signature: signWebhook('s3cret', ts, body) })).toMatch(/body is missing/);
    expect(verifyWebhookSignature({ ...base, secret: undefined, signature: signWebhook('s3cret', ts, body) })).toMatch(/not configured/);
    expect(verifyWebhookSignature({ ...base, signature: signWebhook('s3cret', ts, body).slice(0, -1) })).toMatch(/does not match/);
  });
});
