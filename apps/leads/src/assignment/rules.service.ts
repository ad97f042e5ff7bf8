import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { assertVersion, HttpProblemCode, ProblemException } from '@crm/http';
import { simulate, DEFAULT_FOLLOW_UP_HOURS, type Candidate, type PastLead, type Rule, type RuleTarget } from './assignment.domain';
import { AssignmentRuleEntity } from './rule.entity';
import type { CreateRuleDto, SimulateDto, UpdateRuleDto } from './rules.dto';

const MAX_SIMULATED_LEADS = 50_000;

const notFound = (id: string) => new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No assignment rule ${id}.` });

function targetOf(dto: CreateRuleDto['target']): RuleTarget {
  if (dto.kind === 'rep') return { kind: 'rep', repId: dto.repId! };
  if (dto.kind === 'team') return { kind: 'team', team: dto.team! };
  return { kind: 'pool', repIds: [...new Set(dto.repIds!)] };
}

@Injectable()
export class RulesService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<AssignmentRuleEntity[]> {
    return this.dataSource.getRepository(AssignmentRuleEntity).find({ order: { position: 'ASC', id: 'ASC' } });
  }

  async get(id: string): Promise<AssignmentRuleEntity> {
    const rule = await this.dataSource.getRepository(AssignmentRuleEntity).findOne({ where: { id } });
    if (!rule) throw notFound(id);
    return rule;
  }

  async create(dto: CreateRuleDto): Promise<AssignmentRuleEntity> {
    const id = randomUUID();
    await this.dataSource.getRepository(AssignmentRuleEntity).insert({
      id,
      name: dto.name,
      position: dto.position,
      match: dto.match ?? {},
      target: targetOf(dto.target),
      followUpHours: dto.followUpHours ?? DEFAULT_FOLLOW_UP_HOURS,
      active: dto.active ?? true,
    });
    return this.get(id);
  }

  async update(id: string, dto: UpdateRuleDto, expectedVersion: number): Promise<AssignmentRuleEntity> {
    return this.dataSource.transaction(async (m) => {
      const rule = await m.findOne(AssignmentRuleEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rule) throw notFound(id);
      assertVersion(rule.version, expectedVersion);
      await m.query(
        `UPDATE assignment_rules SET name = COALESCE($2, name), position = COALESCE($3, position), match = COALESCE($4::jsonb, match),
                target = COALESCE($5::jsonb, target), follow_up_hours = COALESCE($6, follow_up_hours), active = COALESCE($7, active),
                version = version + 1, updated_at = now()
          WHERE id = $1`,
        [
          id,
          dto.name ?? null,
          dto.position ?? null,
          dto.match ? JSON.stringify(dto.match) : null,
          dto.target ? JSON.stringify(targetOf(dto.target)) : null,
          dto.followUpHours ?? null,
          dto.active ?? null,
        ],
      );
      return m.findOneOrFail(AssignmentRuleEntity, { where: { id } });
    });
  }

  async remove(id: string): Promise<void> {
    const [, deleted]: [unknown, number] = await this.dataSource.query('DELETE FROM assignment_rules WHERE id = $1', [id]);
    if (!deleted) throw notFound(id);
  }

  /**
   * Runs a proposed rule set over the leads captured in [from, to): reads only, in one read-only snapshot,
   * so nothing can be changed by it and the numbers are consistent.
   */
  async simulate(dto: SimulateDto) {
    if (new Date(dto.from) >= new Date(dto.to)) {
      throw new ProblemException({
        status: HttpStatus.BAD_REQUEST,
        code: HttpProblemCode.ValidationFailed,
        detail: 'The request has invalid fields.',
        errors: [{ field: 'to', message: 'to must be after from', constraint: 'domain' }],
      });
    }
    const rules: Rule[] = dto.rules.map((r, i) => ({
      id: `proposed-${i}`,
      name: r.name,
      position: r.position,
      match: r.match ?? {},
      target: targetOf(r.target),
      followUpHours: r.followUpHours ?? DEFAULT_FOLLOW_UP_HOURS,
      active: r.active ?? true,
    }));
    const { reps, leads } = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      const reps: Candidate[] = await m.query(
        `SELECT id, name, team, capacity, 0 AS "openLeads", active, away, NULL AS "lastAssignedAt" FROM reps ORDER BY id`,
      );
      const leads: PastLead[] = await m.query(
        `SELECT l.id, l.region, l.product_interest AS "productInterest", l.source, l.company_size AS "companySize", l.created_at AS "createdAt",
                (SELECT a.rep_id FROM assignments a WHERE a.lead_id = l.id ORDER BY a.id LIMIT 1) AS "actualRepId"
           FROM leads l WHERE l.created_at >= $1 AND l.created_at < $2 ORDER BY l.created_at, l.id LIMIT $3`,
        [dto.from, dto.to, MAX_SIMULATED_LEADS + 1],
      );
      return { reps, leads };
    });
    if (leads.length > MAX_SIMULATED_LEADS) {
      throw new ProblemException({ status: HttpStatus.BAD_REQUEST, code: 'PERIOD_TOO_LARGE', detail: `At most ${MAX_SIMULATED_LEADS} leads per simulation; shorten the period.` });
    }
    const result = simulate(rules, reps, leads);
    return { from: dto.from, to: dto.to, totals: result.totals, reps: result.reps, ...(dto.details && { leads: result.leads }) };
  }
}
