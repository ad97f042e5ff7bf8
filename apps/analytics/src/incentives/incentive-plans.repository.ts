import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { CommissionBand, CommissionMethod, BonusRule, IncentivePlan, PlanTerms } from './incentive.domain';

interface PlanRow {
  period: string;
  team: string;
  currency: string;
  method: CommissionMethod;
  bands: CommissionBand[];
  bonuses: BonusRule[];
  version: number;
  updated_by: string;
  updated_at: Date;
}

const COLUMNS = 'period, team, currency, method, bands, bonuses, version, updated_by, updated_at';
const plan = (r: PlanRow): IncentivePlan => ({
  period: r.period,
  team: r.team,
  currency: r.currency,
  commission: { method: r.method, bands: r.bands },
  bonuses: r.bonuses,
  version: r.version,
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** incentive_plans (set by managers, not derived from events: kept across a rebuild). Rates and amounts stay decimal strings in jsonb. */
@Injectable()
export class IncentivePlansRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rep's team as the rep directory says now; undefined for a rep it does not know. */
  async repTeam(repId: string): Promise<string | null | undefined> {
    const [rep]: { team: string | null }[] = await this.dataSource.query('SELECT team FROM reps WHERE rep_id = $1', [repId]);
    return rep ? rep.team : undefined;
  }

  async find(period: string, team: string): Promise<IncentivePlan | undefined> {
    const [row]: PlanRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM incentive_plans WHERE period = $1 AND team = $2`, [period, team]);
    return row && plan(row);
  }

  /** The plan under a row lock, for a write that depends on its version. */
  async lock(m: EntityManager, period: string, team: string): Promise<IncentivePlan | undefined> {
    const [row]: PlanRow[] = await m.query(`SELECT ${COLUMNS} FROM incentive_plans WHERE period = $1 AND team = $2 FOR UPDATE`, [period, team]);
    return row && plan(row);
  }

  async insert(m: EntityManager, period: string, team: string, terms: PlanTerms, by: string): Promise<IncentivePlan> {
    const [row]: PlanRow[] = await m.query(
      `INSERT INTO incentive_plans (period, team, currency, method, bands, bonuses, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [period, team, terms.currency, terms.commission.method, JSON.stringify(terms.commission.bands), JSON.stringify(terms.bonuses), by],
    );
    return plan(row);
  }

  async update(m: EntityManager, period: string, team: string, terms: PlanTerms, by: string): Promise<IncentivePlan> {
    const [[row]]: [PlanRow[]] = await m.query(
      `UPDATE incentive_plans SET currency = $3, method = $4, bands = $5, bonuses = $6, updated_by = $7, updated_at = now(), version = version + 1
        WHERE period = $1 AND team = $2 RETURNING ${COLUMNS}`,
      [period, team, terms.currency, terms.commission.method, JSON.stringify(terms.commission.bands), JSON.stringify(terms.bonuses), by],
    );
    return plan(row);
  }

  async remove(m: EntityManager, period: string, team: string): Promise<void> {
    await m.query('DELETE FROM incentive_plans WHERE period = $1 AND team = $2', [period, team]);
  }

  /** The period's plans, of one team or (team undefined) of all, by team. */
  async list(period: string, team?: string): Promise<IncentivePlan[]> {
    const params: unknown[] = [period];
    const filter = team === undefined ? '' : ` AND team = $${params.push(team)}`;
    const rows: PlanRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM incentive_plans WHERE period = $1${filter} ORDER BY team`, params);
    return rows.map(plan);
  }
}
