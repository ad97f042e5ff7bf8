import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createTestDataSource,
  deleteTopicsWithPrefix,
  eventually,
  freePort,
  startTestMailbox,
  TEST_JWT_SECRET,
  testInfra,
  testKafka,
  uniqueTopicPrefix,
  type TestDataSource,
  type TestMailbox,
} from '@crm/testing';
import { migrations } from '../src/migrations';

/**
 * kill -9 in the middle of sending a thousand emails: the service runs as its own process (as in production),
 * is killed when about half are sent, and started again. Nothing may be lost, and what is sent twice (the rows
 * that were in flight) carries the same Message-ID, so the mailbox keeps each message once.
 */
const ROWS = 1000;
const ROOT = join(__dirname, '..', '..', '..');
const WORKERS = 4;

let mailbox: TestMailbox;
let db: TestDataSource;
let prefix: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];
let output = '';

function startService(): ChildProcess {
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/notifications/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  children.push(child);
  return child;
}
const exited = (child: ChildProcess) =>
  new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));
const count = async (where: string): Promise<number> => (await db.dataSource.query(`SELECT count(*)::int AS n FROM deliveries WHERE ${where}`))[0].n;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  db = await createTestDataSource({ prefix: 'notifications', migrations });
  await db.dataSource.query(`INSERT INTO recipients (user_id, email, locale, source) VALUES ('crash-rep', 'rep@example.com', 'en', 'admin')`);
  await db.dataSource.query(
    `WITH n AS (
       INSERT INTO notifications (event_id, recipient_id, type, audience, record_kind, record_id, params, critical, in_app)
       SELECT gen_random_uuid(), 'crash-rep', 'lead_assigned', 'owner', 'lead', 'L' || i, jsonb_build_object('label', 'Lead ' || i), false, true
         FROM generate_series(1, $1::int) i RETURNING id)
     INSERT INTO deliveries (id, dedupe_key, notification_id, channel, target) SELECT gen_random_uuid(), n.id || ':email', n.id, 'email', 'rep@example.com' FROM n`,
    [ROWS],
  );
  prefix = uniqueTopicPrefix();
  const { NOTIFICATIONS_PORT: _, ...inherited } = process.env;
  env = {
    ...inherited,
    NOTIFICATIONS_DATABASE_URL: db.database.url,
    KAFKA_BROKERS: (await testInfra()).kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    SMTP_URL: mailbox.url,
    PORT: String(await freePort()),
    NOTIFICATIONS_EMAIL_WORKERS: String(WORKERS),
    NOTIFICATIONS_EMAIL_LEASE_MS: '3000', // the rows in flight at the kill come back after this
    NOTIFICATIONS_DISPATCH_INTERVAL_MS: '200',
  };
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  }
  await mailbox?.close();
  await db?.close();
  if (prefix) await deleteTopicsWithPrefix(await testKafka('email-crash'), prefix);
});

it('loses no email and sends none twice to the reader when the service is killed -9 mid-way', async () => {
  const first = startService();
  await eventually(async () => expect(await count(`status = 'sent'`)).toBeGreaterThanOrEqual(ROWS / 2), { timeoutMs: 120_000, intervalMs: 10 }).catch(
    (err: Error) => {
      throw new Error(`${err.message}\n--- service output ---\n${output}`);
    },
  );
  first.kill('SIGKILL');
  await exited(first);
  const atKill = {
    sent: await count(`status = 'sent'`),
    inFlight: await count(`status = 'sending'`),
    received: mailbox.counts().transactions,
  };

  startService();
  await eventually(async () => expect(await count(`status = 'sent'`)).toBe(ROWS), { timeoutMs: 120_000, intervalMs: 200 }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- service output ---\n${output}`);
  });

  const resent = await count('attempts > 1');
  const ids: { id: string }[] = await db.dataSource.query('SELECT id FROM deliveries');
  const received = new Set(mailbox.messageIds());
  const missing = ids.filter((r) => !received.has(`<${r.id}@notifications.crm>`));
  const counts = mailbox.counts();
  console.log(
    `email kill -9: ${ROWS} rows; at the kill ${atKill.sent} sent, ${atKill.inFlight} in flight (sending), ${atKill.received} SMTP transactions; ` +
      `after the restart ${await count(`status = 'sent'`)} sent, ${resent} rows sent again (attempts > 1); mailbox: ${counts.stored} distinct messages, ` +
      `${counts.transactions} SMTP transactions, ${counts.duplicates} duplicates dropped by Message-ID; ${missing.length} missing`,
  );

  expect(missing).toEqual([]); // none lost
  expect(counts.stored).toBe(ROWS); // each once for the reader
  expect(counts.stored).toBe(await count(`status = 'sent'`));
  // Only the rows in flight at the kill were claimed again: at most one per worker.
  expect(resent).toBe(atKill.inFlight);
  expect(resent).toBeLessThanOrEqual(WORKERS);
  // A duplicate SMTP transaction is a resend of one of them, absorbed by its Message-ID.
  expect(counts.duplicates).toBeLessThanOrEqual(resent);
  expect(counts.transactions).toBe(ROWS + counts.duplicates);
}, 300_000);
