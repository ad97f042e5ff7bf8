import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What the leads side told us about each lead (company size, follow-ups): a local copy for scoring. */
@Injectable()
export class LeadFactsRepository {
  async companySizeOf(m: EntityManager, leadId: string): Promise<string | null> {
    const [facts] = await m.query('SELECT company_size FROM lead_facts WHERE lead_id = $1', [leadId]);
    return facts?.company_size ?? null;
  }

  async recordCompanySize(m: EntityManager, leadId: string, companySize: string): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, company_size) VALUES ($1, $2)
       ON CONFLICT (lead_id) DO UPDATE SET company_size = EXCLUDED.company_size, updated_at = now()`,
      [leadId, companySize],
    );
  }

  async recordFollowUp(m: EntityManager, leadId: string): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, follow_ups) VALUES ($1, 1)
       ON CONFLICT (lead_id) DO UPDATE SET follow_ups = lead_facts.follow_ups + 1, updated_at = now()`,
      [leadId],
    );
  }
}
