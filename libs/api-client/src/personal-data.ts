// A person's data export (the right of access, ADR 0024): every service's part of `GET /api/v1/personal-data/…`
// assembled into ONE file. The console's download and `npm run personal-data -- export` both build it here, so the
// file has one shape wherever it is made. Browser-safe: the checksum uses Web Crypto, nothing imports Node.
import type { CrmClient } from './client';
import type { paths } from './schema';

/** The services that hold a person's data, each answering `GET /api/v1/personal-data/<service>` (admin only). */
export const PERSONAL_DATA_SERVICES = ['leads', 'opportunities', 'orders', 'finance', 'customers', 'notifications'] as const;
export type PersonalDataService = (typeof PERSONAL_DATA_SERVICES)[number];

/** Whose data: a contact (everything linked to it) or a lead not yet resolved to a contact. */
export type PersonalDataSubject = { contactId: string } | { leadId: string };

/** One service's answer: every kind of record it holds about the person, each a list (empty when none). */
export interface PersonalDataPart {
  service: string;
  subject: Partial<{ contactId: string; leadId: string }>;
  generatedAt: string;
  records: Record<string, unknown[]>;
}

/** The one file handed to the person: every service's part, and a checksum of the rest. */
export interface PersonalDataExport {
  subject: PersonalDataSubject;
  generatedAt: string;
  parts: Record<PersonalDataService, PersonalDataPart>;
  /**
   * Hex SHA-256 of `JSON.stringify({ subject, generatedAt, parts })`, in that key order. Absent only where the
   * platform has no Web Crypto (a page served over plain http from a host other than localhost).
   */
  sha256?: string;
}

export interface PersonalDataExportOptions {
  /** Only these services (default: all six). */
  services?: readonly PersonalDataService[];
  now?: () => Date;
}

/** Why an export failed, naming the service: there is no file when any part is missing. */
export class PersonalDataExportError extends Error {
  constructor(
    readonly service: PersonalDataService,
    detail: string,
  ) {
    super(`the ${service} part of the export failed: ${detail}`);
    this.name = 'PersonalDataExportError';
  }
}

const PATHS = {
  leads: '/api/v1/personal-data/leads',
  opportunities: '/api/v1/personal-data/opportunities',
  orders: '/api/v1/personal-data/orders',
  finance: '/api/v1/personal-data/finance',
  customers: '/api/v1/personal-data/customers',
  notifications: '/api/v1/personal-data/notifications',
} as const satisfies Record<PersonalDataService, keyof paths>;

/**
 * Asks every service for its part (in parallel) and assembles the file; throws a `PersonalDataExportError` naming
 * the first service whose part failed. `client` is the gateway's client, or one per service (a service's own origin):
 *
 *   const file = await exportPersonalData(crm, { leadId });
 */
export async function exportPersonalData(
  client: CrmClient | ((service: PersonalDataService) => CrmClient),
  subject: PersonalDataSubject,
  options: PersonalDataExportOptions = {},
): Promise<PersonalDataExport> {
  const services = options.services ?? PERSONAL_DATA_SERVICES;
  const clientOf = typeof client === 'function' ? client : () => client;
  const answers = await Promise.allSettled(services.map((service) => fetchPart(clientOf(service), service, subject)));
  const parts = {} as Record<PersonalDataService, PersonalDataPart>;
  answers.forEach((answer, i) => {
    const service = services[i]!;
    if (answer.status === 'rejected') {
      const reason: unknown = answer.reason;
      throw reason instanceof PersonalDataExportError
        ? reason
        : new PersonalDataExportError(service, reason instanceof Error ? reason.message : String(reason));
    }
    parts[service] = answer.value;
  });
  const body = { subject, generatedAt: (options.now?.() ?? new Date()).toISOString(), parts };
  const sha256 = await exportChecksum(body);
  return sha256 === undefined ? body : { ...body, sha256 };
}

/** The file's checksum (see `PersonalDataExport.sha256`); undefined without Web Crypto. */
export async function exportChecksum(body: Omit<PersonalDataExport, 'sha256'>): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const text = JSON.stringify({ subject: body.subject, generatedAt: body.generatedAt, parts: body.parts });
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchPart(client: CrmClient, service: PersonalDataService, subject: PersonalDataSubject): Promise<PersonalDataPart> {
  const query = 'contactId' in subject ? { contactId: subject.contactId } : { leadId: subject.leadId };
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    // Every path of PATHS takes the same query and answers a part; one of them stands for the type.
    result = await client.GET(PATHS[service] as (typeof PATHS)['leads'], { params: { query } });
  } catch (err) {
    throw new PersonalDataExportError(service, `no answer (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!result.response.ok) {
    const problem = (typeof result.error === 'object' && result.error) || {};
    const why = (problem as { detail?: string; title?: string }).detail ?? (problem as { title?: string }).title;
    throw new PersonalDataExportError(service, `HTTP ${result.response.status}${why ? `: ${why}` : ''}`);
  }
  const part = result.data as PersonalDataPart | undefined;
  if (!part || typeof part !== 'object' || part.service !== service || !part.records || typeof part.records !== 'object') {
    throw new PersonalDataExportError(service, 'the answer is not a personal-data part of this service');
  }
  const [key, id] = 'contactId' in subject ? (['contactId', subject.contactId] as const) : (['leadId', subject.leadId] as const);
  if (part.subject?.[key] !== id) throw new PersonalDataExportError(service, `the answer is about another subject (${JSON.stringify(part.subject)})`);
  for (const [kind, rows] of Object.entries(part.records)) {
    if (!Array.isArray(rows)) throw new PersonalDataExportError(service, `records.${kind} is not a list`);
  }
  return part;
}
