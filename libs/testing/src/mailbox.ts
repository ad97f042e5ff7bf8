import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
// The tests run the very mailbox `npm start` and docker-compose run (tools/mailbox/main.ts).
import { Mailbox, type MailboxCounts } from '@crm/mailbox';

/** A received message as a mail client would show it. */
export interface ReceivedMail {
  id: string;
  messageId: string | null;
  subject: string;
  to: string[];
  text: string;
  html: string;
  /** Lower-cased header names (`content-language`, `message-id` …) with their values as text. */
  headers: Record<string, string>;
}

export interface TestMailbox {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  /** Every distinct message kept, oldest first, parsed. */
  messages(): Promise<ReceivedMail[]>;
  /** Message-IDs of what was kept, without parsing (cheap for a thousand). */
  messageIds(): string[];
  counts(): MailboxCounts;
  /** The SMTP server goes away (connections refused) until `up()`, on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** The project's mailbox (tools/mailbox) in-process, on a free port, storing into a temporary directory. */
export async function startTestMailbox(): Promise<TestMailbox> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-mailbox-'));
  const mailbox = await new Mailbox({ smtpPort: 0, httpPort: null, dir }).start();
  return {
    url: `smtp://127.0.0.1:${mailbox.smtpPort}`,
    async messages() {
      const out: ReceivedMail[] = [];
      for (const m of mailbox.list().reverse()) {
        const parsed = await simpleParser(await mailbox.raw(m.id));
        const headers: Record<string, string> = {};
        for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
        out.push({
          id: m.id,
          messageId: parsed.messageId ?? null,
          subject: parsed.subject ?? '',
          to: m.to,
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          headers,
        });
      }
      return out;
    },
    messageIds: () => mailbox.list().flatMap((m) => (m.messageId ? [m.messageId] : [])),
    counts: () => mailbox.counts(),
    down: () => mailbox.stopSmtp(),
    up: async () => void (await mailbox.start()),
    async close() {
      await mailbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
