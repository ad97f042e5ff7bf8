import { digestEmail, escapeHtml, messageIdFor, notificationEmail } from './email-content.domain';

const rendered = { title: 'New lead for you: <Acme & Co>', body: 'Follow up "soon".', link: '/leads/L1' };

describe('notification email', () => {
  it('has the title as subject, the body and a link line, and a Message-ID fixed by the ledger row', () => {
    const mail = notificationEmail('d-1', 'a@example.com', 'en', rendered, 'https://crm.example.com/');
    expect(mail.messageId).toBe('<d-1@notifications.crm>');
    expect(mail.messageId).toBe(messageIdFor('d-1'));
    expect(mail.subject).toBe(rendered.title);
    expect(mail.text).toBe('New lead for you: <Acme & Co>\n\nFollow up "soon".\n\nOpen: https://crm.example.com/leads/L1\n');
    expect(mail.headers['Content-Language']).toBe('en');
  });

  it('escapes every value in the HTML part', () => {
    const mail = notificationEmail('d-1', 'a@example.com', 'zh-CN', rendered, 'https://crm.example.com');
    expect(mail.html).toContain('<h2>New lead for you: &lt;Acme &amp; Co&gt;</h2>');
    expect(mail.html).toContain('<p>Follow up &quot;soon&quot;.</p>');
    expect(mail.html).toContain('<a href="https://crm.example.com/leads/L1">查看</a>');
    expect(mail.html).toContain('lang="zh-CN"');
    expect(mail.html).not.toContain('<Acme');
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});

describe('digest email', () => {
  const items = [
    { title: 'B <new>', body: '', link: '/orders/2', createdAt: new Date('2025-03-11T02:00:00Z') },
    { title: 'A', body: '', link: '/leads/1', createdAt: new Date('2025-03-10T02:00:00Z') },
  ];
  const time = (d: Date) => d.toISOString().slice(0, 10);

  it('counts the unread, lists them in the order given with links, and says how many more there are', () => {
    const mail = digestEmail('d-2', 'a@example.com', 'en', items, 5, 'https://crm', time);
    expect(mail.subject).toBe('You have 5 unread notifications');
    expect(mail.text.indexOf('B <new>')).toBeLessThan(mail.text.indexOf('- A'));
    expect(mail.text).toContain('  https://crm/orders/2');
    expect(mail.text).toContain('3 more unread');
    expect(mail.html).toContain('B &lt;new&gt;');
    expect(mail.messageId).toBe('<d-2@notifications.crm>');
  });

  it('speaks Chinese to a Chinese reader', () => {
    const mail = digestEmail('d-3', 'a@example.com', 'zh-CN', items, 2, 'https://crm', time);
    expect(mail.subject).toBe('您有 2 条未读通知');
    expect(mail.text).not.toContain('另有'); // all of them are listed
    expect(mail.headers['Content-Language']).toBe('zh-CN');
  });
});
