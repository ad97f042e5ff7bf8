import { createHash } from 'node:crypto';
import { exportPersonalData, PERSONAL_DATA_SERVICES, PersonalDataExportError, type PersonalDataService } from './personal-data-export';

const contactId = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
const NOW = new Date('2026-12-01T08:00:00Z');

// A fake of the gateway: each service answers its part, or what `override` says.
function fakeGateway(override: Partial<Record<PersonalDataService, () => Response | Promise<Response>>> = {}) {
  const calls: { url: string; authorization?: string }[] = [];
  const fake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url: String(input), authorization: (init?.headers as Record<string, string>)?.authorization });
    const service = url.pathname.split('/').pop() as PersonalDataService;
    if (override[service]) return override[service]!();
    const records = { [`${service}-kind`]: [{ id: `${service}-1`, contactId: url.searchParams.get('contactId') }] };
    return Response.json({ service, subject: { contactId: url.searchParams.get('contactId') }, generatedAt: NOW.toISOString(), records });
  }) as typeof fetch;
  return { fake, calls };
}

describe('exportPersonalData', () => {
  it('asks every service for its part with the admin token and assembles one document with a checksum', async () => {
    const { fake, calls } = fakeGateway();

    const file = await exportPersonalData({ subject: { contactId }, urlOf: () => 'http://gw:8080/', token: 'tok', fetch: fake, now: () => NOW });

    expect(calls.map((c) => c.url).sort()).toEqual(PERSONAL_DATA_SERVICES.map((s) => `http://gw:8080/api/v1/personal-data/${s}?contactId=${contactId}`).sort());
    expect(calls.every((c) => c.authorization === 'Bearer tok')).toBe(true);
    expect(Object.keys(file.parts).sort()).toEqual([...PERSONAL_DATA_SERVICES].sort());
    expect(file.parts.orders.records).toEqual({ 'orders-kind': [{ id: 'orders-1', contactId }] });
    expect(file).toMatchObject({ subject: { contactId }, generatedAt: NOW.toISOString() });
    const expected = createHash('sha256')
      .update(JSON.stringify({ subject: file.subject, generatedAt: file.generatedAt, parts: file.parts }))
      .digest('hex');
    expect(file.sha256).toBe(expected);
  });

  it('uses a per-service origin and the lead subject when given', async () => {
    const urls: string[] = [];
    const fake = (async (input: string | URL | Request) => {
      urls.push(String(input));
      const url = new URL(String(input));
      return Response.json({ service: url.pathname.split('/').pop(), subject: { leadId: 'l-1' }, generatedAt: NOW.toISOString(), records: {} });
    }) as typeof fetch;

    await exportPersonalData({
      subject: { leadId: 'l-1' },
      urlOf: (s) => (s === 'leads' ? 'http://leads:3001' : 'http://gw'),
      fetch: fake,
      services: ['leads', 'orders'],
    });

    expect(urls.sort()).toEqual(['http://gw/api/v1/personal-data/orders?leadId=l-1', 'http://leads:3001/api/v1/personal-data/leads?leadId=l-1']);
  });

  it('fails naming the service whose part failed, with the problem detail, and returns no document', async () => {
    const { fake } = fakeGateway({
      finance: () => Response.json({ title: 'Forbidden', detail: 'admin only' }, { status: 403, headers: { 'content-type': 'application/problem+json' } }),
    });

    const result = exportPersonalData({ subject: { contactId }, urlOf: () => 'http://gw', fetch: fake });

    await expect(result).rejects.toThrow(PersonalDataExportError);
    await expect(result).rejects.toThrow('the finance part of the export failed: HTTP 403: admin only');
  });

  it('fails on an unreachable service, an answer about someone else, or one that is not a part', async () => {
    const cases: [PersonalDataService, () => Response, RegExp][] = [
      [
        'leads',
        () => {
          throw new TypeError('fetch failed');
        },
        /the leads part .*cannot reach http:\/\/gw \(fetch failed\)/,
      ],
      [
        'orders',
        () => Response.json({ service: 'orders', subject: { contactId: 'someone-else' }, generatedAt: '', records: {} }),
        /the orders part .*another subject/,
      ],
      ['customers', () => new Response('<html>bad gateway</html>', { status: 200 }), /the customers part .*not a personal-data part/],
      ['notifications', () => Response.json({ service: 'notifications', subject: { contactId }, records: { inbox: 'x' } }), /records.inbox is not a list/],
    ];
    for (const [service, answer, message] of cases) {
      const { fake } = fakeGateway({ [service]: answer });
      await expect(exportPersonalData({ subject: { contactId }, urlOf: () => 'http://gw', fetch: fake })).rejects.toThrow(message);
    }
  });
});
