// The bodies a webhook sends, per format, and their Standard Webhooks signature headers: pure functions.
import { Webhook } from 'standardwebhooks';
import type { NotificationType, RecordKind } from '../catalogue/catalogue';
import type { Rendered } from '../templates/templates';
import type { WebhookFormat } from './webhook-endpoint.domain';

export interface WebhookNotification {
  id: string;
  type: NotificationType;
  critical: boolean;
  recordKind: RecordKind;
  recordId: string;
  recipientId: string;
  createdAt: Date;
}

/** Standard Webhooks' recommended shape: a dotted type, when it happened, and the data. */
export function standardBody(n: WebhookNotification, r: Rendered) {
  return {
    type: `notification.${n.type}`,
    timestamp: n.createdAt.toISOString(),
    data: {
      id: n.id,
      type: n.type,
      critical: n.critical,
      recordKind: n.recordKind,
      recordId: n.recordId,
      title: r.title,
      body: r.body,
      link: r.link,
      recipientId: n.recipientId,
      createdAt: n.createdAt.toISOString(),
    },
  };
}

// The IM robots cap a markdown message at 4096 bytes (WeCom) or 20000 (DingTalk); stay well inside both.
const MAX_TEXT = 1500;
const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** WeCom group robot: markdown, critical ones in its warning colour. */
export function wecomBody(n: WebhookNotification, r: Rendered) {
  const title = n.critical ? `<font color="warning">${r.title}</font>` : r.title;
  return { msgtype: 'markdown', markdown: { content: cut(`### ${title}\n${r.body}`) } };
}

/** DingTalk custom robot: markdown with the title its notification preview shows. */
export function dingtalkBody(_n: WebhookNotification, r: Rendered) {
  return { msgtype: 'markdown', markdown: { title: r.title.slice(0, 100), text: cut(`### ${r.title}\n\n${r.body}`) } };
}

// Slack's mrkdwn treats these three as control characters (https://api.slack.com/reference/surfaces/formatting#escaping).
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming webhook: one text, the title in bold. */
export function slackBody(_n: WebhookNotification, r: Rendered) {
  return { text: cut(`*${slackEscape(r.title)}*\n${slackEscape(r.body)}`) };
}

const BUILDERS: Record<WebhookFormat, (n: WebhookNotification, r: Rendered) => object> = {
  standard: standardBody,
  wecom: wecomBody,
  dingtalk: dingtalkBody,
  slack: slackBody,
};

/** The exact bytes that are signed and sent. */
export const webhookBody = (format: WebhookFormat, n: WebhookNotification, r: Rendered): string => JSON.stringify(BUILDERS[format](n, r));

/**
 * `webhook-id` (the same on every retry, so a receiver can drop a repeat), `webhook-timestamp` (this attempt,
 * in seconds) and one `v1,<base64>` signature per valid secret, space-separated: a receiver holding either the
 * old or the new secret during a rotation verifies the message.
 */
export function signatureHeaders(messageId: string, secrets: string[], at: Date, body: string): Record<string, string> {
  if (secrets.length === 0) throw new Error('an endpoint always has a secret to sign with');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(' '),
  };
}
