import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newSecret } from './webhook-endpoint.domain';
import { dingtalkBody, signatureHeaders, slackBody, standardBody, webhookBody, wecomBody, type WebhookNotification } from './webhook-payload';

const n: WebhookNotification = {
  id: '42',
  type: 'stock_shortage',
  critical: true,
  recordKind: 'order',
  recordId: 'o-1',
  recipientId: 'u-1',
  createdAt: new Date('2026-03-01T08:00:00.000Z'),
};
const r = { title: 'Stock short for order SO-1', body: 'Short: A <1/2> & B', link: '/orders/o-1' };

describe('webhook bodies', () => {
  it('standard: a dotted type, the time it happened and the rendered notification', () => {
    expect(standardBody(n, r)).toEqual({
      type: 'notification.stock_shortage',
      timestamp: '2026-03-01T08:00:00.000Z',
      data: {
        id: '42',
        type: 'stock_shortage',
        critical: true,
        recordKind: 'order',
        recordId: 'o-1',
        title: r.title,
        body: r.body,
        link: '/orders/o-1',
        recipientId: 'u-1',
        createdAt: '2026-03-01T08:00:00.000Z',
      },
    });
  });

  it('WeCom: a markdown message, critical titles in the warning colour', () => {
    expect(wecomBody(n, r)).toEqual({ msgtype: 'markdown', markdown: { content: `### <font color="warning">${r.title}</font>\n${r.body}` } });
    expect(wecomBody({ ...n, critical: false }, r).markdown.content).toBe(`### ${r.title}\n${r.body}`);
  });

  it('DingTalk: markdown with a title', () => {
    expect(dingtalkBody(n, r)).toEqual({ msgtype: 'markdown', markdown: { title: r.title, text: `### ${r.title}\n\n${r.body}` } });
  });

  it("Slack: one text, Slack's control characters escaped", () => {
    expect(slackBody(n, r)).toEqual({ text: `*${r.title}*\nShort: A &lt;1/2&gt; &amp; B` });
  });

  it('cuts long bodies for the IM robots', () => {
    const long = { ...r, body: 'x'.repeat(5000) };
    expect(wecomBody(n, long).markdown.content.length).toBeLessThanOrEqual(1500);
    expect(slackBody(n, long).text.endsWith('…')).toBe(true);
  });

  it('serialises the chosen format', () => {
    expect(JSON.parse(webhookBody('slack', n, r))).toEqual(slackBody(n, r));
    expect(JSON.parse(webhookBody('standard', n, r))).toEqual(standardBody(n, r));
  });
});

describe('signatureHeaders', () => {
  const body = webhookBody('standard', n, r);

  it('signs per Standard Webhooks: a receiver verifies with the secret', () => {
    const secret = newSecret(randomBytes(24));
    const at = new Date();
    const headers = signatureHeaders('msg-1', [secret], at, body);
    expect(headers['webhook-id']).toBe('msg-1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('carries one signature per secret, each verifying with its own', () => {
    const [a, b] = [newSecret(randomBytes(24)), newSecret(randomBytes(24))];
    const headers = signatureHeaders('msg-2', [a, b], new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(a).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(b).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret(randomBytes(24))).verify(body, headers)).toThrow();
  });

  it('a changed body does not verify', () => {
    const secret = newSecret(randomBytes(24));
    const headers = signatureHeaders('msg-3', [secret], new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('SO-1', 'SO-2'), headers)).toThrow();
  });
});
