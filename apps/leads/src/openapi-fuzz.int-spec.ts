import { fuzzService, startTestService, type TestService } from '@crm/testing';
import { AppModule } from './app.module';
import { leadsSettings } from './leads.settings';

// Issue 9: every operation of the OpenAPI document, 1,000 generated requests each (FUZZ_RUNS to change).
// Rate limiting is off here: a 429 would stop the fuzzer from reaching the input handling.
describe('leads API under fuzzed input (real PostgreSQL)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), {
      env: { LEADS_WEBFORM_SECRET: 'fuzz-webform-secret', RATE_LIMIT_PER_MINUTE: '0' },
      settings: leadsSettings,
    });
  });
  afterAll(() => svc?.close());

  it(
    'never answers 5xx, answers errors as problem+json, matches its documented schemas and stores nothing it rejects',
    async () => {
      const report = await fuzzService(svc, { signedWebhooks: { '/api/v1/intake/web-form': 'fuzz-webform-secret' } });
      expect(report.requests).toBeGreaterThanOrEqual(report.operations * Number(process.env.FUZZ_RUNS ?? 1000));
    },
    15 * 60_000,
  );
});
