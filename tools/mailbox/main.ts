// `node -r ./tools/register.js tools/mailbox/main.ts` (or, built, `node dist/tools/mailbox/main.js`): the local
// SMTP server email goes to when SMTP_URL is not set (tools/start.sh) and in docker-compose.
//   MAILBOX_SMTP_PORT (2525), MAILBOX_HTTP_PORT (8025), MAILBOX_HOST (127.0.0.1), MAILBOX_DIR (tmp/run/mailbox)
import { resolve } from 'node:path';
import { Mailbox } from '@crm/mailbox';

async function main(): Promise<void> {
  const host = process.env.MAILBOX_HOST || '127.0.0.1';
  const mailbox = await new Mailbox({
    host,
    smtpPort: Number(process.env.MAILBOX_SMTP_PORT || 2525),
    httpPort: Number(process.env.MAILBOX_HTTP_PORT || 8025),
    dir: resolve(process.env.MAILBOX_DIR || 'tmp/run/mailbox'),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  }).start();
  console.log(`mailbox: SMTP on ${host}:${mailbox.smtpPort}, view on http://${host}:${mailbox.httpPort}/ (${mailbox.counts().stored} kept)`);
  const stop = () => {
    mailbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: Error) => {
  console.error(`mailbox: ${err.message}`);
  process.exit(1);
});
