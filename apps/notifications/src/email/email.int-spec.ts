import { randomUUID } from 'node:crypto';
import { MetricsRegistry } from '@crm/observability';
import { eventually, startTestMailbox, type TestMailbox, type TestService } from '@crm/testing';
import { addRecipient, fanOut, setRecordOwner, startNotifications } from '../testing/notifications-fixtures';
import { DigestJob } from './digest.job';

let mailbox: TestMailbox;
let svc: TestService;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  svc = await startNotifications({
    SMTP_URL: mailbox.url,
    NOTIFICATIONS_DISPATCH_INTERVAL_MS: '50',
    NOTIFICATIONS_EMAIL_BASE_DELAY_MS: '300',
    NOTIFICATIONS_EMAIL_MAX_ATTEMPTS: '4',
    NOTIFICATIONS_SMTP_TIMEOUT_MS: '2000',
    NOTIFICATIONS_DIGEST_INTERVAL_MS: '3600000', // scanned by hand below
    NOTIFICATIONS_CONSOLE_URL: 'https://crm.example.com',
  });
});

afterAll(async () => {
  await svc?.close();
  await mailbox?.close();
});

interface Row {
  id: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
}
const ledgerRow = async (where: string, value: string): Promise<Row | undefined> =>
  (
    await svc.dataSource.query(
      `SELECT d.id, d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt", d.last_error AS "lastError"
         FROM deliveries d LEFT JOIN notifications n ON n.id = d.notification_id WHERE ${where} = $1 AND d.channel = 'email'`,
      [value],
    )
  )[0];
const mailTo = async (email: string) => (await mailbox.messages()).filter((m) => m.to.includes(email));
const oneMailTo = (email: string) =>
  eventually(async () => {
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    return mails[0];
  });

/** A rep with an email who owns a new lead, told of it (lead.assigned: in-app, email, webhook). */
async function assignLead(r: { locale?: 'zh-CN' | 'en'; timeZone?: string; label: string; type?: string }) {
  const userId = randomUUID();
  const email = `${userId.slice(0, 8)}@example.com`;
  const leadId = randomUUID();
  await addRecipient(svc, { userId, email, locale: r.locale, timeZone: r.timeZone });
  await setRecordOwner(svc, 'lead', leadId, userId, { label: r.label });
  return { userId, email, leadId };
}
const told = (leadId: string, eventType = 'lead.assigned') =>
  fanOut(svc, { eventType, record: { kind: 'lead', id: leadId }, data: { firstFollowUpDueAt: '2025-03-10T02:00:00Z' } });

describe('email notifications', () => {
  it('arrive in the recipient’s language and time zone, with a Message-ID fixed by the ledger row', async () => {
    const zh = await assignLead({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', label: '上海精工机械' });
    const en = await assignLead({ locale: 'en', timeZone: 'UTC', label: 'Acme <Tools>' });
    await told(zh.leadId);
    await told(en.leadId);

    const zhMail = await oneMailTo(zh.email);
    expect(zhMail.subject).toBe('新线索分配给您：上海精工机械');
    expect(zhMail.text).toContain('请在 2025年3月10日 10:00 前完成首次跟进。'); // 02:00 UTC in Shanghai
    expect(zhMail.text).toContain(`查看: https://crm.example.com/leads/${zh.leadId}`);
    expect(zhMail.headers['content-language']).toBe('zh-CN');
    const zhRow = (await ledgerRow('n.recipient_id', zh.userId))!;
    expect(zhMail.messageId).toBe(`<${zhRow.id}@notifications.crm>`);
    expect(zhRow.status).toBe('sent');

    const enMail = await oneMailTo(en.email);
    expect(enMail.subject).toBe('New lead for you: Acme <Tools>');
    expect(enMail.text).toContain('Follow up first by Mar 10, 2025, 2:00 AM.');
    expect(enMail.html).toContain('New lead for you: Acme &lt;Tools&gt;');
    expect(enMail.headers['content-language']).toBe('en');
    expect(enMail.messageId).toBe(`<${(await ledgerRow('n.recipient_id', en.userId))!.id}@notifications.crm>`);

    const metrics = await svc.app.get(MetricsRegistry).metrics();
    expect(metrics).toMatch(/crm_notifications_emails_sent_total\{service="notifications"\} [1-9]/);
  });

  it('are retried while the SMTP server is down and delivered once when it is back', async () => {
    const r = await assignLead({ locale: 'en', label: 'Retry Ltd' });
    await mailbox.down();
    try {
      await told(r.leadId);
      await eventually(async () => expect((await ledgerRow('n.recipient_id', r.userId))!.attempts).toBeGreaterThanOrEqual(2), { intervalMs: 20 });
      const failing = (await ledgerRow('n.recipient_id', r.userId))!;
      expect(failing.status).not.toBe('sent');
      expect(await mailTo(r.email)).toHaveLength(0);
    } finally {
      await mailbox.up();
    }
    await eventually(async () => expect((await ledgerRow('n.recipient_id', r.userId))!.status).toBe('sent'));
    const mails = await mailTo(r.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('New lead for you: Retry Ltd');
  });

  it('go dead after the last attempt', async () => {
    const r = await assignLead({ locale: 'en', label: 'Dead Corp' });
    await mailbox.down();
    try {
      await told(r.leadId);
      await eventually(async () => expect((await ledgerRow('n.recipient_id', r.userId))!.status).toBe('dead'));
    } finally {
      await mailbox.up();
    }
    const dead = (await ledgerRow('n.recipient_id', r.userId))!;
    expect(dead.attempts).toBe(4);
    expect(dead.lastError).toBeTruthy();
    expect(await mailTo(r.email)).toHaveLength(0);
    expect(await svc.app.get(MetricsRegistry).metrics()).toMatch(/crm_notifications_emails_failed_total\{outcome="dead",service="notifications"\} [1-9]/);
  });

  it('wait for the end of quiet hours unless critical', async () => {
    const r = await assignLead({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', label: '静音客户' });
    // Quiet from an hour ago to an hour from now, Shanghai time.
    const local = (offsetH: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
        new Date(Date.now() + offsetH * 3_600_000),
      );
    await svc.dataSource.query('UPDATE recipients SET quiet_start = $2, quiet_end = $3 WHERE user_id = $1', [r.userId, local(-1), local(1)]);
    const before = Date.now();
    await told(r.leadId); // lead_assigned: not critical
    await told(r.leadId, 'lead.first_follow_up_due_soon'); // critical

    const critical = await oneMailTo(r.email);
    expect(critical.subject).toBe('线索即将超时：静音客户');
    const deferred = await eventually(async () => {
      const row = (
        await svc.dataSource.query(
          `SELECT d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt" FROM deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE n.recipient_id = $1 AND n.type = 'lead_assigned' AND d.channel = 'email'`,
          [r.userId],
        )
      )[0] as Row;
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(before + 50 * 60_000);
      return row;
    });
    expect(deferred.status).toBe('pending');
    expect(deferred.attempts).toBe(0); // putting off is not an attempt
    expect(deferred.nextAttemptAt.getTime()).toBeLessThanOrEqual(before + 61 * 60_000);
    expect(await mailTo(r.email)).toHaveLength(1);
  });
});

describe('daily digest', () => {
  async function digestReader(locale: 'zh-CN' | 'en') {
    const userId = randomUUID();
    const email = `digest-${userId.slice(0, 8)}@example.com`;
    await addRecipient(svc, { userId, email, locale, timeZone: 'UTC' });
    // Midnight in their zone: always passed today.
    await svc.dataSource.query(`UPDATE recipients SET digest_at = '00:00' WHERE user_id = $1`, [userId]);
    // In-app only, so that only the digest mails them.
    await svc.dataSource.query(`INSERT INTO preferences (user_id, type, channel, enabled) VALUES ($1, 'lead_assigned', 'email', false)`, [userId]);
    return { userId, email, key: `digest:${userId}:${new Date().toISOString().slice(0, 10)}` };
  }
  const lead = async (ownerId: string, label: string) => {
    const id = randomUUID();
    await setRecordOwner(svc, 'lead', id, ownerId, { label });
    await fanOut(svc, { eventType: 'lead.assigned', record: { kind: 'lead', id }, data: {} });
    return id;
  };

  it('mails the unread, unarchived notifications once per local day, newest first, in the reader’s language', async () => {
    const r = await digestReader('en');
    await lead(r.userId, 'Read One');
    await lead(r.userId, 'Archived One');
    await lead(r.userId, 'Older Unread');
    await lead(r.userId, 'Newest Unread');
    await svc.dataSource.query(`UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND params->>'label' = 'Read One'`, [r.userId]);
    await svc.dataSource.query(`UPDATE notifications SET archived_at = now() WHERE recipient_id = $1 AND params->>'label' = 'Archived One'`, [r.userId]);

    const digest = svc.app.get(DigestJob);
    expect(await digest.scan()).toBeGreaterThanOrEqual(1);
    const mail = await oneMailTo(r.email);
    expect(mail.subject).toBe('You have 2 unread notifications');
    expect(mail.text.indexOf('New lead for you: Newest Unread')).toBeGreaterThan(-1);
    expect(mail.text.indexOf('New lead for you: Newest Unread')).toBeLessThan(mail.text.indexOf('New lead for you: Older Unread'));
    expect(mail.text).not.toContain('Read One');
    expect(mail.text).not.toContain('Archived One');
    expect(mail.headers['content-language']).toBe('en');
    expect(mail.messageId).toBe(`<${(await ledgerRow('d.dedupe_key', r.key))!.id}@notifications.crm>`);

    // Later the same day: already done.
    await digest.scan();
    await eventually(async () => expect((await ledgerRow('d.dedupe_key', r.key))!.status).toBe('sent'));
    await new Promise((done) => setTimeout(done, 300));
    expect(await mailTo(r.email)).toHaveLength(1);
  });

  it('sends nothing when nothing is unread, and still marks the day done', async () => {
    const r = await digestReader('zh-CN');
    await lead(r.userId, '已读线索');
    await svc.dataSource.query('UPDATE notifications SET read_at = now() WHERE recipient_id = $1', [r.userId]);

    await svc.app.get(DigestJob).scan();
    const row = (await ledgerRow('d.dedupe_key', r.key))!;
    expect(row.status).toBe('cancelled');
    await svc.app.get(DigestJob).scan();
    const rows = await svc.dataSource.query(`SELECT count(*)::int AS n FROM deliveries WHERE dedupe_key LIKE $1`, [`digest:${r.userId}:%`]);
    expect(rows[0].n).toBe(1);
    await new Promise((done) => setTimeout(done, 300));
    expect(await mailTo(r.email)).toHaveLength(0);
  });
});
