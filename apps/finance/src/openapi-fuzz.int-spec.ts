import { fuzzService, startTestService, type TestService } from '@crm/testing';
import { AppModule } from './app.module';
import { financeSettings } from './finance.settings';
import { openReceivable } from './testing/finance-fixtures';

// Issue 9: every operation of the OpenAPI document, 1,000 generated requests each (FUZZ_RUNS to change).
// Rate limiting is off here: a 429 would stop the fuzzer from reaching the input handling.
describe('finance API under fuzzed input (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('finance', (config) => AppModule.forRoot(config), {
      env: { RATE_LIMIT_PER_MINUTE: '0', FINANCE_ERP_WEBHOOK_SECRET: 'fuzz-erp-secret' },
      settings: financeSettings,
    });
  });
  afterAll(() => svc?.close());

  it(
    'never answers 5xx, answers errors as problem+json, matches its documented schemas and stores nothing it rejects',
    async () => {
      // Receivables only come from order.confirmed: open two so that id routes and payments get past the 404.
      const opened = [await openReceivable(svc), await openReceivable(svc)];
      const report = await fuzzService(svc, {
        knownIds: { id: opened.map((o) => o.receivable.id), orderId: opened.map((o) => o.event.data.orderId) },
        signedWebhooks: { '/api/v1/erp/webhooks/payments': 'fuzz-erp-secret' },
      });
      expect(report.requests).toBeGreaterThanOrEqual(report.operations * Number(process.env.FUZZ_RUNS ?? 1000));
    },
    15 * 60_000,
  );
});
