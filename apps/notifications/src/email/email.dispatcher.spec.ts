import { EmailDispatcher } from './email.dispatcher';

// No database here: the LISTEN connection is stubbed; NOTIFY wake-ups are covered by email.int-spec.ts.
jest.mock('../delivery/pg-listener', () => ({
  PgListener: class {
    start = () => Promise.resolve();
    stop = () => Promise.resolve();
  },
}));

const INTERVAL_MS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dispatcher() {
  const due: { id: string; attempts: number }[] = [];
  const ledger = {
    claim: jest.fn(async () => due.splice(0, 1)),
    nextDue: jest.fn(async () => null),
    sent: jest.fn(async () => undefined),
  };
  const dataSource = { transaction: (work: (m: object) => unknown) => work({}), manager: {} };
  const composer = { compose: async () => ({ critical: true, message: {} }) };
  const mailer = { send: async () => undefined };
  const settings = { emailWorkers: 4, dispatchIntervalMs: INTERVAL_MS, emailLeaseMs: 60_000, emailMaxAttempts: 3, emailBaseDelayMs: 10 };
  const metrics = { counter: () => ({ inc: () => undefined }) };
  const d = new EmailDispatcher(dataSource as never, ledger as never, composer as never, mailer as never, settings as never, metrics as never);
  return { d, ledger, due };
}

describe('EmailDispatcher workers', () => {
  it('an idle ledger is looked at once per interval, not once per worker', async () => {
    const { d, ledger } = dispatcher();
    d.onApplicationBootstrap();
    await sleep(INTERVAL_MS * 10);
    await d.beforeApplicationShutdown();
    // 4 at the start, then about one an interval (four workers each claiming would be about 40 more).
    expect(ledger.claim.mock.calls.length).toBeLessThanOrEqual(4 + 10 + 4);
    expect(ledger.claim.mock.calls.length).toBeGreaterThanOrEqual(4 + 5);
  });

  it('rows found at the interval are all sent, the sleeping workers joining in', async () => {
    const { d, ledger, due } = dispatcher();
    d.onApplicationBootstrap();
    await sleep(INTERVAL_MS / 2);
    for (let i = 0; i < 8; i++) due.push({ id: `r${i}`, attempts: 1 });
    await sleep(INTERVAL_MS * 3);
    await d.beforeApplicationShutdown();
    expect(ledger.sent).toHaveBeenCalledTimes(8);
  });
});
