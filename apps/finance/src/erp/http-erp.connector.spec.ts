import { createServer } from 'node:net';
import { DependencyUnavailableError, NonRetryableError } from '@crm/messaging';
import { loadServiceConfig } from '@crm/platform';
import { financeSettings } from '../finance.settings';
import { connectorFor } from './erp.module';
import { FakeErp } from '../testing/fake-erp.server';
import { BuiltinLedgerConnector } from './finance-erp.connector';
import { HttpFinanceErpConnector } from './http-erp.connector';

const receivable = {
  receivableId: '6f1f8c86-3f57-4c1b-9a8e-1b2d3c4d5e6f',
  orderId: '0b6a3c1e-2d4f-4e5a-8b7c-9d0e1f2a3b4c',
  customerName: 'ACME GmbH',
  amount: '255.17',
  currency: 'EUR',
  paymentTerms: 'NET30',
  dueDate: '2026-03-02',
};

describe('HttpFinanceErpConnector against a fake ERP', () => {
  let erp: FakeErp;
  let connector: HttpFinanceErpConnector;

  beforeEach(async () => {
    erp = await new FakeErp().start();
    connector = new HttpFinanceErpConnector({ baseUrl: `${erp.url}/`, token: 'erp-secret', maxAttempts: 3, retryDelayMs: 5 });
  });
  afterEach(() => erp.stop());

  it('posts the receivable with the event id as Idempotency-Key and the bearer token', async () => {
    await connector.receivableCreated(receivable, 'event-1');
    expect(erp.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/receivables',
        body: receivable,
        headers: expect.objectContaining({ 'idempotency-key': 'event-1', authorization: 'Bearer erp-secret', 'content-type': 'application/json' }),
      }),
    ]);
  });

  it('posts a void to the receivable', async () => {
    const voided = {
      receivableId: receivable.receivableId,
      orderId: receivable.orderId,
      creditedAmount: '20.00',
      reason: 'cancelled',
      voidedAt: '2026-03-03T00:00:00.000Z',
    };
    await connector.receivableVoided(voided, 'event-2');
    expect(erp.requests).toEqual([
      expect.objectContaining({
        path: `/receivables/${receivable.receivableId}/void`,
        body: voided,
        headers: expect.objectContaining({ 'idempotency-key': 'event-2' }),
      }),
    ]);
  });

  it('retries after a 503 and succeeds, with the same Idempotency-Key', async () => {
    erp.answers = [503];
    await connector.receivableCreated(receivable, 'event-3');
    expect(erp.requests.map((r) => r.headers['idempotency-key'])).toEqual(['event-3', 'event-3']);
  });

  it('gives up after its attempts when the ERP stays down: DependencyUnavailableError (the partition waits)', async () => {
    erp.answers = [503, 502, 500, 200];
    await expect(connector.receivableCreated(receivable, 'event-4')).rejects.toThrow(DependencyUnavailableError);
    expect(erp.requests).toHaveLength(3);
  });

  it('treats an unreachable ERP as unavailable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const down = new HttpFinanceErpConnector({ baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 2, retryDelayMs: 1 });
    await expect(down.receivableCreated(receivable, 'event-5')).rejects.toThrow(/unreachable.*after 2 attempts/);
  });

  it('does not retry a refusal (4xx): NonRetryableError, so the event is dead-lettered with the reason', async () => {
    erp.answers = [422];
    const error = await connector.receivableCreated(receivable, 'event-6').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toMatch(/refused POST \/receivables with 422/);
    expect(erp.requests).toHaveLength(1);
  });

  it('waits on refused credentials (a rotated token): DependencyUnavailableError, never a dead letter', async () => {
    for (const status of [401, 403]) {
      erp.answers = [status];
      await expect(connector.receivableCreated(receivable, `event-${status}`)).rejects.toThrow(DependencyUnavailableError);
    }
    expect(erp.requests).toHaveLength(2);
  });

  it('dead-letters a void of a receivable the ERP does not know (404 on its path), but waits on a 404 of the collection (a wrong URL)', async () => {
    const voided = {
      receivableId: receivable.receivableId,
      orderId: receivable.orderId,
      creditedAmount: '0.00',
      reason: 'cancelled',
      voidedAt: '2026-03-03T00:00:00.000Z',
    };
    erp.answers = [404];
    await expect(connector.receivableVoided(voided, 'event-8')).rejects.toThrow(NonRetryableError);
    erp.answers = [404];
    const error = await connector.receivableCreated(receivable, 'event-9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).not.toBeInstanceOf(NonRetryableError);
  });

  it('retries a 429', async () => {
    erp.answers = [429];
    await connector.receivableCreated(receivable, 'event-7');
    expect(erp.requests).toHaveLength(2);
  });
});

describe('connector settings', () => {
  const erpSettingsFrom = (env: NodeJS.ProcessEnv) => loadServiceConfig('finance', env, financeSettings).settings;

  it('uses the built-in ledger unless FINANCE_ERP_URL is set', () => {
    expect(connectorFor(erpSettingsFrom({}))).toBeInstanceOf(BuiltinLedgerConnector);
    expect(connectorFor(erpSettingsFrom({ FINANCE_ERP_URL: 'https://erp.example.com/api', FINANCE_ERP_TOKEN: 't' }))).toBeInstanceOf(HttpFinanceErpConnector);
  });

  it('refuses a malformed URL or retry delay at boot', () => {
    expect(() => erpSettingsFrom({ FINANCE_ERP_URL: 'erp.example.com' })).toThrow(/FINANCE_ERP_URL/);
    expect(() => erpSettingsFrom({ FINANCE_ERP_URL: 'http://erp', FINANCE_ERP_RETRY_MS: '-1' })).toThrow(/FINANCE_ERP_RETRY_MS/);
  });
});
