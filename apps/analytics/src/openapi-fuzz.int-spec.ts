import { fuzzService, startTestService, type TestService } from '@crm/testing';
import { analyticsSettings } from './analytics.settings';
import { AppModule } from './app.module';

// Issue 9: every operation of the OpenAPI document, 1,000 generated requests each (FUZZ_RUNS to change).
// Rate limiting is off here: a 429 would stop the fuzzer from reaching the input handling.
describe('analytics API under fuzzed input (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('analytics', (config) => AppModule.forRoot(config), { settings: analyticsSettings, env: { RATE_LIMIT_PER_MINUTE: '0' } });
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
