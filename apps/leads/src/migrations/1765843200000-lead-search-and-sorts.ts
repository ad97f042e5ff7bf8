import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addSearchText, dropSearchText, phoneDigitsPart, searchablePart } from '@crm/persistence';

export class LeadSearchAndSorts1765843200000 implements MigrationInterface {
  name = 'LeadSearchAndSorts1765843200000';

  async up(q: QueryRunner): Promise<void> {
    // `q=` on the lead list: what a rep types to find a lead (name, company, email, phone in any format).
    await addSearchText(q, 'leads', [searchablePart('contact_name'), searchablePart('company'), searchablePart('email'), phoneDigitsPart('phone')]);
    // One index per column the list sorts by (created_at has idx_leads_created); a nullable column sorts by the
    // same COALESCE the list query uses (sortBy's nullsAs in leads.dto.ts).
    await q.query('CREATE INDEX idx_leads_updated ON leads (updated_at, id)');
    await q.query('CREATE INDEX idx_leads_contact_name ON leads (contact_name, id)');
    await q.query(`CREATE INDEX idx_leads_company_sort ON leads ((COALESCE(company, '')), id)`);
    await q.query('CREATE INDEX idx_leads_score_sort ON leads ((COALESCE(score, -1)), id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['idx_leads_updated', 'idx_leads_contact_name', 'idx_leads_company_sort', 'idx_leads_score_sort']) await q.query(`DROP INDEX ${index}`);
    await dropSearchText(q, 'leads');
  }
}
