import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RepCopy } from './rep-copy.domain';

/** The reps copy: the only SQL on it. */
@Injectable()
export class RepsCopyRepository {
  async find(m: EntityManager, repId: string): Promise<(Omit<RepCopy, 'updatedAt'> & { updatedAt: Date }) | undefined> {
    const [row]: (Omit<RepCopy, 'updatedAt'> & { updatedAt: Date })[] = await m.query(
      'SELECT rep_id AS "repId", name, team, active, updated_at AS "updatedAt" FROM reps WHERE rep_id = $1',
      [repId],
    );
    return row;
  }

  // The WHERE repeats the newer-wins rule for two first copies racing past the read.
  async save(m: EntityManager, rep: RepCopy): Promise<void> {
    await m.query(
      `INSERT INTO reps (rep_id, name, team, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE reps.updated_at <= EXCLUDED.updated_at`,
      [rep.repId, rep.name, rep.team, rep.active, rep.updatedAt],
    );
  }
}
