import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * opportunity_facts.terms: each opportunity's amount and expected close date with the time from which they
 * held (`opportunity.created`, then each `opportunity.terms_changed`), so the point-in-time pipeline shows the
 * amount of the day asked for. Existing rows get their creation terms, the only ones they knew.
 */
export class OpportunityTerms1764720000011 implements MigrationInterface {
  name = 'OpportunityTerms1764720000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE opportunity_facts ADD COLUMN terms jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`UPDATE opportunity_facts
                      SET terms = jsonb_build_array(jsonb_build_object('kind', 'created', 'at', created_at, 'amount', expected_amount::text,
                                                                       'closeDate', expected_close_date::text))
                    WHERE created_at IS NOT NULL AND expected_amount IS NOT NULL AND expected_close_date IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE opportunity_facts DROP COLUMN terms`);
  }
}
