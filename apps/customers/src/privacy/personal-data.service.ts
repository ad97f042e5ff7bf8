import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { exportSubject, type PersonalDataQuery } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { PersonalDataRepository } from './personal-data.repository';

type Row = Record<string, unknown>;

/**
 * The records an export gave out, each once: the contacts (their own rows, memberships, merges and erasure), and the
 * lead, opportunity, order and receivable records and timeline entries it returned, by their kind.
 */
export function exportedRecords(records: Record<string, Row[]>): { recordType: string; recordId: string }[] {
  const found = new Map<string, { recordType: string; recordId: string }>();
  const add = (recordType: unknown, recordId: unknown) => {
    if (typeof recordType === 'string' && typeof recordId === 'string') found.set(`${recordType}:${recordId}`, { recordType, recordId });
  };
  for (const c of records.contacts ?? []) add('contact', c.id);
  for (const m of records.memberships ?? []) add('contact', m.contactId);
  for (const m of records.merges ?? []) [m.survivorId, m.mergedId].forEach((id) => add('contact', id));
  for (const e of records.erasures ?? []) add('contact', e.contactId);
  for (const l of records.leadResolutions ?? []) add('lead', l.leadId);
  for (const r of [...(records.customerRecords ?? []), ...(records.timelineEntries ?? [])]) add(r.recordKind, r.recordId);
  return [...found.values()];
}

/** A person's data export: what this service holds about one contact or one lead (empty lists when nothing), audited. */
@Injectable()
export class PersonalDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PersonalDataRepository,
    private readonly audit: AuditTrail,
  ) {}

  async export(query: PersonalDataQuery) {
    const subject = exportSubject(query);
    const records = subject.leadId === undefined ? await this.repository.ofContact(subject.contactId) : await this.repository.ofLead(subject.leadId);
    // Nothing leaves unaudited: the answer goes only once the trail holds an 'exported' entry per record in it.
    await inTransaction(this.dataSource, async (m) => {
      for (const r of exportedRecords(records)) await this.audit.record(m, { ...r, action: 'exported', changes: [] });
    });
    return { service: 'customers', subject, generatedAt: new Date().toISOString(), records };
  }
}
