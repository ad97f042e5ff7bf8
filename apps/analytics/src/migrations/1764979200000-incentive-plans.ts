import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * incentive_plans: one plan per period (2026, 2026-Q3, 2026-07) and team, set by managers; not derived from
 * events, so a rebuild keeps it. Bands and bonuses are small lists read whole with the plan: jsonb, their
 * rates and amounts as decimal strings so that nothing passes through a float.
 */
export class IncentivePlans1764979200000 implements MigrationInterface {
  name = 'IncentivePlans1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE incentive_plans (
      period text NOT NULL, team text NOT NULL, currency text NOT NULL,
      method text NOT NULL CHECK (method IN ('marginal', 'whole')), bands jsonb NOT NULL, bonuses jsonb NOT NULL DEFAULT '[]',
      version integer NOT NULL DEFAULT 1, updated_by text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (period, team))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE incentive_plans');
  }
}
