import { createHmac } from 'node:crypto';
import request from 'supertest';

/**
 * Posts to the public web-form intake as the website does: `X-Signature: sha256=<hex>` = HMAC-SHA256 with the
 * shared secret over `${X-Signature-Timestamp}.${raw body}` (apps/leads/README.md). Signed here from the wire
 * format, not with the service's own helper, so a change to the scheme fails the test.
 */
export function signedWebForm(baseUrl: string, secret: string, form: object, now = new Date()): request.Test {
  const body = JSON.stringify(form);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return request(baseUrl)
    .post('/api/v1/intake/web-form')
    .set('content-type', 'application/json')
    .set('x-signature-timestamp', timestamp)
    .set('x-signature', signature)
    .send(body);
}
