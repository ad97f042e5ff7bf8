import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { camelRow } from '@crm/persistence';
import { openEvents, personalDataVault } from '@crm/privacy';

type Row = Record<string, unknown>;

/** What the leads database holds about one person, every column as stored (the search column, derived, left out). */
export interface LeadsPersonalData {
  leads: Row[];
  followUps: Row[];
  touches: Row[];
  assignments: Row[];
  notes: Row[];
}

/** The reads of a person's data export: their leads and everything hanging off them. */
@Injectable()
export class PersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  async of(subject: { contactId?: string; leadId?: string }): Promise<LeadsPersonalData> {
    const q = (sql: string, params: unknown[]) => this.dataSource.query(sql, params).then((rows: Row[]) => rows.map(camelRow));
    const leads = await q(
      `SELECT * FROM leads WHERE ($1::uuid IS NOT NULL AND contact_id = $1) OR ($2::uuid IS NOT NULL AND id = $2) ORDER BY created_at, id`,
      [subject.contactId ?? null, subject.leadId ?? null],
    );
    for (const lead of leads) delete lead.searchText;
    const ids = leads.map((l) => l.id as string);
    const [followUps, touches, assignments, notes] = await Promise.all([
      q('SELECT * FROM follow_ups WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id, at, id', [ids]),
      q('SELECT * FROM lead_touches WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id, at, id', [ids]),
      q('SELECT * FROM assignments WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id, id', [ids]),
      this.notes(ids),
    ]);
    return { leads, followUps, touches, assignments, notes };
  }

  /** The notes written about the leads travel only in their events (a qualification's sealed): those the outbox still holds, opened. */
  private async notes(leadIds: string[]): Promise<Row[]> {
    const rows: { payload: EventEnvelope; at: Date }[] = await this.dataSource.query(
      `SELECT payload, created_at AS at FROM outbox
        WHERE message_key = ANY($1::text[]) AND event_type IN ('crm.lead.qualified', 'crm.lead.disqualified', 'crm.lead.reassigned') ORDER BY seq`,
      [leadIds],
    );
    await openEvents(
      rows.map((r) => r.payload),
      personalDataVault(),
    );
    return rows.flatMap(({ payload, at }) => {
      const data = payload.data as { by?: string; note?: string; reason?: string };
      const note = payload.type === 'crm.lead.disqualified' ? data.reason : data.note;
      return note === undefined ? [] : [{ leadId: payload.subject, kind: payload.type, by: data.by ?? null, note, at }];
    });
  }
}
