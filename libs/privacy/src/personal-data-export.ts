import { createHash } from 'node:crypto';

/** The services that hold a person's data and answer `GET /api/v1/personal-data/<service>` (ADR 0024). */
export const PERSONAL_DATA_SERVICES = ['leads', 'opportunities', 'orders', 'finance', 'customers', 'notifications'] as const;
export type PersonalDataService = (typeof PERSONAL_DATA_SERVICES)[number];

/** Whose data: a contact (everything linked to it) or a lead not yet resolved to a contact. */
export type PersonalDataSubject = { contactId: string } | { leadId: string };

/** One service's answer. */
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
  /** Hex SHA-256 of `JSON.stringify({ subject, generatedAt, parts })`, in that key order. */
  sha256: string;
}

export interface ExportOptions {
  subject: PersonalDataSubject;
  /** Where each service answers: the gateway's origin for all, or one origin per service. */
  urlOf: (service: PersonalDataService) => string;
  /** An admin's bearer token. */
  token?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  services?: readonly PersonalDataService[];
}

/** Why an export failed, naming the service: nothing is written when any part is missing. */
export class PersonalDataExportError extends Error {
  constructor(
    readonly service: PersonalDataService,
    detail: string,
  ) {
    super(`the ${service} part of the export failed: ${detail}`);
    this.name = 'PersonalDataExportError';
  }
}

export function personalDataPath(service: PersonalDataService, subject: PersonalDataSubject): string {
  const query = 'contactId' in subject ? `contactId=${encodeURIComponent(subject.contactId)}` : `leadId=${encodeURIComponent(subject.leadId)}`;
  return `/api/v1/personal-data/${service}?${query}`;
}

export function exportChecksum(body: Omit<PersonalDataExport, 'sha256'>): string {
  return createHash('sha256')
    .update(JSON.stringify({ subject: body.subject, generatedAt: body.generatedAt, parts: body.parts }))
    .digest('hex');
}

/** Asks every service for its part (in parallel) and assembles the file; throws on the first part that fails. */
export async function exportPersonalData(options: ExportOptions): Promise<PersonalDataExport> {
  const doFetch = options.fetch ?? fetch;
  const services = options.services ?? PERSONAL_DATA_SERVICES;
  const answers = await Promise.allSettled(services.map((service) => fetchPart(doFetch, service, options)));
  const parts = {} as Record<PersonalDataService, PersonalDataPart>;
  answers.forEach((answer, i) => {
    if (answer.status === 'rejected') {
      const reason = answer.reason as Error;
      throw reason instanceof PersonalDataExportError ? reason : new PersonalDataExportError(services[i], reason?.message ?? String(reason));
    }
    parts[services[i]] = answer.value;
  });
  const body = { subject: options.subject, generatedAt: (options.now?.() ?? new Date()).toISOString(), parts };
  return { ...body, sha256: exportChecksum(body) };
}

async function fetchPart(doFetch: typeof fetch, service: PersonalDataService, options: ExportOptions): Promise<PersonalDataPart> {
  const url = `${options.urlOf(service).replace(/\/+$/, '')}${personalDataPath(service, options.subject)}`;
  let response: Response;
  try {
    response = await doFetch(url, { headers: { accept: 'application/json', ...(options.token && { authorization: `Bearer ${options.token}` }) } });
  } catch (err) {
    throw new PersonalDataExportError(service, `cannot reach ${new URL(url).origin} (${(err as Error).message})`);
  }
  const text = await response.text();
  if (!response.ok) {
    const problem = safeJson(text) as { title?: string; detail?: string } | undefined;
    throw new PersonalDataExportError(service, `HTTP ${response.status}${(problem?.detail ?? problem?.title) ? `: ${problem.detail ?? problem.title}` : ''}`);
  }
  const part = safeJson(text) as PersonalDataPart | undefined;
  if (!part || typeof part !== 'object' || part.service !== service || !part.records || typeof part.records !== 'object') {
    throw new PersonalDataExportError(service, 'the answer is not a personal-data part of this service');
  }
  const asked = 'contactId' in options.subject ? ['contactId', options.subject.contactId] : ['leadId', options.subject.leadId];
  if (part.subject?.[asked[0] as 'contactId' | 'leadId'] !== asked[1]) {
    throw new PersonalDataExportError(service, `the answer is about another subject (${JSON.stringify(part.subject)})`);
  }
  for (const [kind, rows] of Object.entries(part.records)) {
    if (!Array.isArray(rows)) throw new PersonalDataExportError(service, `records.${kind} is not a list`);
  }
  return part;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
