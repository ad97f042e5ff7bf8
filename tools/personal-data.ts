/**
 * `npm run personal-data -- export --contact <id> | --lead <id> [--out file.json] [--base http://127.0.0.1:8080]
 *   [--token <admin token>] [--service-url leads=http://127.0.0.1:3001 …]`
 * writes everything the services hold about one person as ONE JSON file (the right of access, ADR 0024):
 * `{ subject, generatedAt, parts: { leads, opportunities, orders, finance, customers, notifications }, sha256 }`.
 * Each part comes from that service's `GET /api/v1/personal-data/<service>` (admin only), through the gateway
 * unless a service's own origin is given. Any failed part fails the export, naming the service; the file is
 * written to a temporary name and renamed, so there is never half a file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createCrmClient,
  exportPersonalData,
  PERSONAL_DATA_SERVICES,
  PersonalDataExportError,
  type CrmClient,
  type PersonalDataService,
  type PersonalDataSubject,
} from '@crm/api-client';
import { Role } from '@crm/http';
import { LOCAL_ADMIN_ID, signLocalToken } from './token';

const USAGE =
  'usage: personal-data export --contact <id> | --lead <id> [--out file.json] [--base http://127.0.0.1:8080] [--token <token>] [--service-url <service>=<url> …]';

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      contact: { type: 'string' },
      lead: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string', default: process.env.CRM_GATEWAY_URL ?? 'http://127.0.0.1:8080' },
      token: { type: 'string', default: process.env.CRM_TOKEN },
      'service-url': { type: 'string', multiple: true, default: [] },
    },
  });
  if (positionals[0] !== 'export' || positionals.length !== 1) throw new Error(USAGE);
  if (!values.contact === !values.lead) throw new Error(`give exactly one of --contact and --lead\n${USAGE}`);
  const subject: PersonalDataSubject = values.contact ? { contactId: values.contact } : { leadId: values.lead! };

  const origins = new Map<string, string>();
  for (const pair of values['service-url']) {
    const [service, url] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (!PERSONAL_DATA_SERVICES.includes(service as PersonalDataService) || !/^https?:\/\//.test(url)) {
      throw new Error(`--service-url ${pair}: expected <service>=http://host:port, service one of ${PERSONAL_DATA_SERVICES.join(', ')}`);
    }
    origins.set(service, url);
  }
  // Locally the JWT secret signs an admin token, as `npm run token` does; elsewhere pass one from the identity provider.
  const token = values.token ?? signLocalToken({ sub: LOCAL_ADMIN_ID, roles: [Role.Admin] }, 1);

  // The console's download assembles the same file with the same function (@crm/api-client).
  const clients = new Map<string, CrmClient>();
  const clientOf = (service: PersonalDataService) => {
    const origin = origins.get(service) ?? values.base!;
    if (!clients.has(origin)) clients.set(origin, createCrmClient({ baseUrl: origin.replace(/\/+$/, ''), token }));
    return clients.get(origin)!;
  };
  const file = await exportPersonalData(clientOf, subject).catch((err: unknown) => {
    if (!(err instanceof PersonalDataExportError)) throw err;
    throw new Error(`${err.message}; asked ${origins.get(err.service) ?? values.base}`);
  });
  const id = 'contactId' in subject ? `contact-${subject.contactId}` : `lead-${subject.leadId}`;
  const out = resolve(values.out ?? `personal-data-${id}.json`);
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, out);
  const rows = Object.values(file.parts).reduce((n, part) => n + Object.values(part.records).reduce((m, r) => m + r.length, 0), 0);
  console.log(`personal-data: wrote ${out} (${rows} record(s) from ${Object.keys(file.parts).length} services, sha256 ${file.sha256})`);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`personal-data: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
