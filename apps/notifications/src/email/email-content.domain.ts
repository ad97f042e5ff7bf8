import type { Locale } from '../catalogue/catalogue';
import type { Rendered } from '../templates/templates';

/** One email as it goes to the SMTP server (nodemailer's message fields). */
export interface EmailMessage {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface DigestItem extends Rendered {
  createdAt: Date;
}

const WORDS = {
  'zh-CN': {
    open: '查看',
    digestSubject: (n: number) => `您有 ${n} 条未读通知`,
    digestIntro: (n: number) => `以下是您的 ${n} 条未读通知（最新在前）：`,
    more: (n: number) => `另有 ${n} 条未读通知`,
    all: '全部通知',
  },
  en: {
    open: 'Open',
    digestSubject: (n: number) => `You have ${n} unread notification${n === 1 ? '' : 's'}`,
    digestIntro: (n: number) => `Your ${n} unread notification${n === 1 ? '' : 's'}, newest first:`,
    more: (n: number) => `${n} more unread`,
    all: 'All notifications',
  },
} satisfies Record<Locale, unknown>;

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The same for every send of one ledger row: a resend after a crash (its lease ran out while `sending`) is
 * then recognisably the same message, and mailbox providers keep it once.
 */
export const messageIdFor = (deliveryId: string) => `<${deliveryId}@notifications.crm>`;

const urlOf = (consoleUrl: string, link: string) => `${consoleUrl.replace(/\/+$/, '')}${link}`;

const page = (locale: Locale, inner: string) =>
  `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif">${inner}</body></html>`;

/** Headers of every notification email: its language, and that it is automatic (no auto-replies, RFC 3834). */
const headersFor = (locale: Locale) => ({ 'Content-Language': locale, 'Auto-Submitted': 'auto-generated' });

/** One notification: the title as subject, the body, and a link line to the record. */
export function notificationEmail(deliveryId: string, to: string, locale: Locale, rendered: Rendered, consoleUrl: string): EmailMessage {
  const w = WORDS[locale];
  const url = urlOf(consoleUrl, rendered.link);
  return {
    messageId: messageIdFor(deliveryId),
    to,
    subject: rendered.title,
    text: `${rendered.title}\n\n${rendered.body}\n\n${w.open}: ${url}\n`,
    html: page(locale, `<h2>${escapeHtml(rendered.title)}</h2><p>${escapeHtml(rendered.body)}</p><p><a href="${escapeHtml(url)}">${w.open}</a></p>`),
    headers: headersFor(locale),
  };
}

/** The daily digest: how many are unread, then each (newest first) with its link; `items` may be fewer than `total`. */
export function digestEmail(
  deliveryId: string,
  to: string,
  locale: Locale,
  items: DigestItem[],
  total: number,
  consoleUrl: string,
  formatTime: (d: Date) => string,
): EmailMessage {
  const w = WORDS[locale];
  const rest = total - items.length;
  const allUrl = urlOf(consoleUrl, '/notifications');
  const lines = items.map((i) => `- ${i.title} (${formatTime(i.createdAt)})\n  ${urlOf(consoleUrl, i.link)}`);
  const text = [w.digestIntro(total), '', ...lines, '', ...(rest > 0 ? [`${w.more(rest)}`] : []), `${w.all}: ${allUrl}`, ''].join('\n');
  const list = items
    .map((i) => `<li><a href="${escapeHtml(urlOf(consoleUrl, i.link))}">${escapeHtml(i.title)}</a> <small>${escapeHtml(formatTime(i.createdAt))}</small></li>`)
    .join('');
  const html = page(
    locale,
    `<p>${escapeHtml(w.digestIntro(total))}</p><ul>${list}</ul>${rest > 0 ? `<p>${escapeHtml(w.more(rest))}</p>` : ''}` +
      `<p><a href="${escapeHtml(allUrl)}">${escapeHtml(w.all)}</a></p>`,
  );
  return { messageId: messageIdFor(deliveryId), to, subject: w.digestSubject(total), text, html, headers: headersFor(locale) };
}
