import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addSearchText, dropSearchText, phoneDigitsPart, searchablePart } from '@crm/persistence';

const OWNER_SORTS = [
  ['idx_leads_owner_updated', 'updated_at'],
  ['idx_leads_owner_contact_name', 'contact_name'],
  ['idx_leads_owner_company_sort', `(COALESCE(company, ''))`],
  ['idx_leads_owner_score_sort', '(COALESCE(score, -1))'],
] as const;

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
    // A rep's list (scope own) walks their own rows in order: without these the planner walks the global sort
    // index filtering for one owner (seconds over a million leads when their rows sort late).
    for (const [name, sort] of OWNER_SORTS) await q.query(`CREATE INDEX ${name} ON leads (owner_rep_id, ${sort}, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'idx_leads_updated',
      'idx_leads_contact_name',
      'idx_leads_company_sort',
      'idx_leads_score_sort',
      ...OWNER_SORTS.map(([name]) => name),
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await dropSearchText(q, 'leads');
  }
}
