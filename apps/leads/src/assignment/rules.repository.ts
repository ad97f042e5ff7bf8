import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MAX_SIMULATED_LEADS, type RuleChanges } from './rule.domain';
import type { Candidate, PastLead, Rule } from './assignment.domain';
import { AssignmentRuleEntity } from './rule.entity';

/** The assignment rules table, and the read-only snapshot a simulation replays. */
@Injectable()
export class RulesRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<AssignmentRuleEntity[]> {
    return this.dataSource.getRepository(AssignmentRuleEntity).find({ order: { position: 'ASC', id: 'ASC' } });
  }

  find(id: string): Promise<AssignmentRuleEntity | null> {
    return this.dataSource.getRepository(AssignmentRuleEntity).findOne({ where: { id } });
  }

  async insert(rule: Rule): Promise<AssignmentRuleEntity> {
    await this.dataSource.getRepository(AssignmentRuleEntity).insert(rule);
    return this.dataSource.getRepository(AssignmentRuleEntity).findOneOrFail({ where: { id: rule.id } });
  }

  async lock(m: EntityManager, id: string): Promise<AssignmentRuleEntity | undefined> {
    return (await m.findOne(AssignmentRuleEntity, { where: { id }, lock: { mode: 'pessimistic_write' } })) ?? undefined;
  }

  async update(m: EntityManager, id: string, changes: RuleChanges): Promise<AssignmentRuleEntity> {
    await m.query(
      `UPDATE assignment_rules SET name = COALESCE($2, name), position = COALESCE($3, position), match = COALESCE($4::jsonb, match),
              target = COALESCE($5::jsonb, target), follow_up_hours = COALESCE($6, follow_up_hours), active = COALESCE($7, active),
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [
        id,
        changes.name ?? null,
        changes.position ?? null,
        changes.match ? JSON.stringify(changes.match) : null,
        changes.target ? JSON.stringify(changes.target) : null,
        changes.followUpHours ?? null,
        changes.active ?? null,
      ],
    );
    return m.findOneOrFail(AssignmentRuleEntity, { where: { id } });
  }

  /** Whether there was such a rule to delete. */
  async remove(id: string): Promise<boolean> {
    const [, deleted]: [unknown, number] = await this.dataSource.query('DELETE FROM assignment_rules WHERE id = $1', [id]);
    return deleted > 0;
  }

  /**
   * Every rep (empty, as a simulation starts them) and the leads captured in [from, to) with their first owner,
   * up to one past the limit, in one read-only snapshot: nothing can change, and the numbers agree.
   */
  snapshot(from: string, to: string): Promise<{ reps: Candidate[]; leads: PastLead[] }> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const reps: Candidate[] = await m.query(
        `SELECT id, name, team, capacity, 0 AS "openLeads", active, away, NULL AS "lastAssignedAt" FROM reps ORDER BY id`,
      );
      const leads: PastLead[] = await m.query(
        `SELECT l.id, l.region, l.product_interest AS "productInterest", l.source, l.company_size AS "companySize", l.score, l.created_at AS "createdAt",
                (SELECT a.rep_id FROM assignments a WHERE a.lead_id = l.id ORDER BY a.id LIMIT 1) AS "actualRepId"
           FROM leads l WHERE l.created_at >= $1 AND l.created_at < $2 ORDER BY l.created_at, l.id LIMIT $3`,
        [from, to, MAX_SIMULATED_LEADS + 1],
      );
      return { reps, leads };
    });
  }
}
