import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the mailbox keeps of one received message beside its raw MIME (`<id>.eml`). */
export interface StoredMessage {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  language: string | null;
  messageId: string | null;
}

export interface MailboxOptions {
  host?: string;
  /** 0: any free port. */
  smtpPort?: number;
  /** 0: any free port; null: no HTTP view. */
  httpPort?: number | null;
  dir: string;
  /** One line per message; none when absent. */
  log?: (line: string) => void;
}

export interface MailboxCounts {
  /** Distinct messages kept. */
  stored: number;
  /** Messages received again with a Message-ID already kept (dropped, as mailbox providers do). */
  duplicates: number;
  /** Every SMTP transaction that delivered a message: stored + duplicates. */
  transactions: number;
}

const MAX_SIZE = 10 * 1024 * 1024;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A real SMTP server the project controls: accepts every message on plain SMTP (no TLS, no auth: local use
 * only), keeps each as an .eml file with a JSON index entry, and keeps a message whose Message-ID it already
 * holds only once, counting the duplicate. A small HTTP view lists what arrived. Used by `npm start`, by
 * docker-compose and, in-process, by the notifications tests.
 */
export class Mailbox {
  private smtp?: SMTPServer;
  private http?: Server;
  private readonly messages: StoredMessage[] = [];
  private readonly byMessageId = new Set<string>();
  private duplicateCount = 0;
  private seq = 0;
  smtpPort = 0;
  httpPort: number | null = null;

  constructor(private readonly options: MailboxOptions) {}

  /** Loads what the directory already holds (a restart keeps its Message-IDs), then listens. */
  async start(): Promise<this> {
    const { dir, host = '127.0.0.1' } = this.options;
    await mkdir(dir, { recursive: true });
    if (this.messages.length === 0) await this.load();
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: MAX_SIZE,
      // Closing ends open connections after a second (421 to anything they send meanwhile), not the default 30 s.
      closeTimeout: 1_000,
      onData: (stream, _session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', done);
        stream.on('end', () => {
          this.receive(Buffer.concat(chunks)).then(() => done(), done);
        });
      },
    });
    this.smtp.on('error', (err) => this.options.log?.(`mailbox: smtp error ${err.message}`));
    const smtp = this.smtp;
    this.smtpPort = await new Promise<number>((ok, fail) => {
      smtp.server.once('error', fail);
      // A restart (after stopSmtp) takes the port the first start got, even when that was "any free port".
      smtp.listen(this.smtpPort || (this.options.smtpPort ?? 2525), host, () => ok((smtp.server.address() as AddressInfo).port));
    });
    if (this.options.httpPort !== null && !this.http) {
      const http = createServer((req, res) => this.serve(req, res));
      this.http = http;
      this.httpPort = await new Promise<number>((ok, fail) => {
        http.once('error', fail);
        http.listen(this.options.httpPort ?? 8025, host, () => ok((http.address() as AddressInfo).port));
      });
    }
    return this;
  }

  /** Stops taking mail (the HTTP view stays up unless `all`): a test's "SMTP server down". */
  async stopSmtp(): Promise<void> {
    const smtp = this.smtp;
    this.smtp = undefined;
    if (smtp) await new Promise<void>((done) => smtp.close(() => done()));
  }

  async stop(): Promise<void> {
    await this.stopSmtp();
    const http = this.http;
    this.http = undefined;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
    }
  }

  /** Newest first. */
  list(): StoredMessage[] {
    return [...this.messages].reverse();
  }

  counts(): MailboxCounts {
    return { stored: this.messages.length, duplicates: this.duplicateCount, transactions: this.messages.length + this.duplicateCount };
  }

  raw(id: string): Promise<Buffer> {
    if (!this.messages.some((m) => m.id === id)) throw new Error(`no message ${id}`);
    return readFile(join(this.options.dir, `${id}.eml`));
  }

  private async receive(raw: Buffer): Promise<void> {
    const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    const messageId = parsed.messageId ?? null;
    // Checked and taken in one synchronous step, so two concurrent copies cannot both be kept.
    if (messageId && this.byMessageId.has(messageId)) {
      this.duplicateCount++;
      this.options.log?.(`mailbox: duplicate ${messageId} dropped`);
      return;
    }
    if (messageId) this.byMessageId.add(messageId);
    const addresses = (v: typeof parsed.to) => (Array.isArray(v) ? v : v ? [v] : []).flatMap((a) => a.value.map((x) => x.address ?? ''));
    const language = parsed.headers.get('content-language');
    const message: StoredMessage = {
      id: `${Date.now()}-${String(++this.seq).padStart(6, '0')}`,
      receivedAt: new Date().toISOString(),
      from: parsed.from?.value.map((x) => x.address ?? '').join(', ') ?? '',
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      language: typeof language === 'string' ? language : null,
      messageId,
    };
    try {
      await writeFile(join(this.options.dir, `${message.id}.eml`), raw);
      await writeFile(join(this.options.dir, `${message.id}.json`), JSON.stringify(message));
    } catch (err) {
      if (messageId) this.byMessageId.delete(messageId); // not kept: a resend must be able to land
      throw err;
    }
    this.messages.push(message);
    this.options.log?.(`mailbox: from=${message.from} to=${message.to.join(',')} subject=${JSON.stringify(message.subject)} message-id=${messageId}`);
  }

  private async load(): Promise<void> {
    const names = (await readdir(this.options.dir)).filter((n) => n.endsWith('.json')).sort();
    for (const name of names) {
      const m = JSON.parse(await readFile(join(this.options.dir, name), 'utf8')) as StoredMessage;
      this.messages.push(m);
      if (m.messageId) this.byMessageId.add(m.messageId);
    }
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/messages') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...this.counts(), messages: this.list() }));
      return;
    }
    const one = /^\/messages\/([\w-]+)$/.exec(path);
    if (one) {
      this.raw(one[1]).then(
        (raw) => res.writeHead(200, { 'content-type': 'message/rfc822' }).end(raw),
        () => res.writeHead(404, { 'content-type': 'text/plain' }).end('no such message\n'),
      );
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(this.page());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  private page(): string {
    const { stored, duplicates } = this.counts();
    const rows = this.list()
      .map(
        (m) =>
          `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.to.join(', '))}</td>` +
          `<td><a href="/messages/${m.id}">${escape(m.subject)}</a></td><td>${escape(m.language ?? '')}</td></tr>`,
      )
      .join('\n');
    return `<!doctype html><html><head><meta charset="utf-8"><title>Mailbox</title></head><body>
<h1>Mailbox</h1><p>${stored} message(s), ${duplicates} duplicate(s) dropped (same Message-ID). <a href="/messages">JSON</a></p>
<table border="1" cellpadding="4"><tr><th>Time</th><th>To</th><th>Subject</th><th>Language</th></tr>
${rows}
</table></body></html>`;
  }
}
