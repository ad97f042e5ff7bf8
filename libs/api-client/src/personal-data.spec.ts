import { createHash } from 'node:crypto';
import { createCrmClient } from './client';
import { exportChecksum, exportPersonalData, PERSONAL_DATA_SERVICES, PersonalDataExportError, type PersonalDataService } from './personal-data';

const contactId = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
const NOW = new Date('2026-12-01T08:00:00Z');

// A fake of the gateway: each service answers its part about whoever was asked for, or what `override` says.
function fakeGateway(override: Partial<Record<PersonalDataService, () => Response>> = {}) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    const url = new URL(request.url);
    const service = url.pathname.split('/').pop() as PersonalDataService;
    const answer = override[service];
    if (answer) return answer();
    const subject = Object.fromEntries(url.searchParams);
    return Response.json({ service, subject, generatedAt: NOW.toISOString(), records: { [`${service}Kind`]: [{ id: `${service}-1`, ...subject }] } });
  };
  return { requests, client: createCrmClient({ baseUrl: 'http://gw:8080', token: 'admin-token', fetch }) };
}

describe('exportPersonalData', () => {
  it('asks every service for its part with the client’s token and assembles one file with a checksum', async () => {
    const gateway = fakeGateway();

    const file = await exportPersonalData(gateway.client, { contactId }, { now: () => NOW });

    expect(gateway.requests.map((r) => r.url).sort()).toEqual(
      PERSONAL_DATA_SERVICES.map((s) => `http://gw:8080/api/v1/personal-data/${s}?contactId=${contactId}`).sort(),
    );
    expect(gateway.requests.every((r) => r.headers.get('authorization') === 'Bearer admin-token')).toBe(true);
    expect(Object.keys(file.parts).sort()).toEqual([...PERSONAL_DATA_SERVICES].sort());
    expect(file.parts.orders.records).toEqual({ ordersKind: [{ id: 'orders-1', contactId }] });
    expect(file).toMatchObject({ subject: { contactId }, generatedAt: NOW.toISOString() });
    // The same checksum the CLI's files always had: SHA-256 of the JSON of subject, generatedAt and parts.
    const expected = createHash('sha256')
      .update(JSON.stringify({ subject: file.subject, generatedAt: file.generatedAt, parts: file.parts }))
      .digest('hex');
    expect(file.sha256).toBe(expected);
    expect(await exportChecksum(file)).toBe(expected);
  });

  it('asks about a lead, each service through its own client when given one per service', async () => {
    const leads = fakeGateway();
    const rest = fakeGateway();

    const file = await exportPersonalData((s) => (s === 'leads' ? leads.client : rest.client), { leadId: 'l-1' }, { services: ['leads', 'orders'] });

    expect(leads.requests.map((r) => r.url)).toEqual(['http://gw:8080/api/v1/personal-data/leads?leadId=l-1']);
    expect(rest.requests.map((r) => r.url)).toEqual(['http://gw:8080/api/v1/personal-data/orders?leadId=l-1']);
    expect(Object.keys(file.parts).sort()).toEqual(['leads', 'orders']);
    expect(file.parts.leads.records).toEqual({ leadsKind: [{ id: 'leads-1', leadId: 'l-1' }] });
  });

  it('fails naming the service whose part failed, with the problem’s detail, and gives no file', async () => {
    const { client } = fakeGateway({
      finance: () => Response.json({ title: 'Forbidden', detail: 'admin only' }, { status: 403, headers: { 'content-type': 'application/problem+json' } }),
    });

    const result = exportPersonalData(client, { contactId });

    await expect(result).rejects.toThrow(PersonalDataExportError);
    await expect(result).rejects.toThrow('the finance part of the export failed: HTTP 403: admin only');
  });

  it('fails on a service that does not answer, an answer about someone else, or one that is not a part', async () => {
    const cases: [PersonalDataService, () => Response, RegExp][] = [
      [
        'leads',
        () => {
          throw new TypeError('fetch failed');
        },
        /the leads part .*no answer \(fetch failed\)/,
      ],
      [
        'orders',
        () => Response.json({ service: 'orders', subject: { contactId: 'someone-else' }, generatedAt: '', records: {} }),
        /the orders part .*another subject/,
      ],
      ['customers', () => Response.json({ items: [] }), /the customers part .*not a personal-data part/],
      ['notifications', () => Response.json({ service: 'notifications', subject: { contactId }, records: { inbox: 'x' } }), /records.inbox is not a list/],
    ];
    for (const [service, answer, message] of cases) {
      const { client } = fakeGateway({ [service]: answer });
      await expect(exportPersonalData(client, { contactId })).rejects.toThrow(message);
    }
  });
});
