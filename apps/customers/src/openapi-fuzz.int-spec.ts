import { fuzzService, startTestService, type TestService } from '@crm/testing';
import { AppModule } from './app.module';
import { customersSettings } from './customers.settings';

// Every operation of the OpenAPI document, 1,000 generated requests each (FUZZ_RUNS to change).
// Rate limiting is off here: a 429 would stop the fuzzer from reaching the input handling.
describe('customers API under fuzzed input (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('customers', (config) => AppModule.forRoot(config), { env: { RATE_LIMIT_PER_MINUTE: '0' }, settings: customersSettings });
  });
  afterAll(() => svc?.close());

  it(
    'never answers 5xx, answers errors as problem+json, matches its documented schemas and stores nothing it rejects',
    async () => {
      const report = await fuzzService(svc);
      expect(report.requests).toBeGreaterThanOrEqual(report.operations * Number(process.env.FUZZ_RUNS ?? 1000));
    },
    15 * 60_000,
  );
});
