import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Decision } from '@crm/domain';
import { appendToOutbox } from '@crm/messaging';
import type { RepRow } from './rep.domain';
import { RepEntity } from './rep.entity';

/** The reps table: the directory and each rep's current load. */
@Injectable()
export class RepsRepository {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<RepEntity[]> {
    return this.dataSource.getRepository(RepEntity).find({ order: { team: 'ASC', name: 'ASC', id: 'ASC' } });
  }

  find(id: string): Promise<RepEntity | null> {
    return this.dataSource.getRepository(RepEntity).findOne({ where: { id } });
  }

  async lock(m: EntityManager, id: string): Promise<RepEntity | undefined> {
    return (await m.findOne(RepEntity, { where: { id }, lock: { mode: 'pessimistic_write' } })) ?? undefined;
  }

  /** Stores a new rep with the events of its creation. */
  async create(m: EntityManager, { changes: r, events }: Decision<RepRow>): Promise<RepEntity> {
    await m.query(
      `INSERT INTO reps (id, name, email, team, manager_id, regions, product_lines, capacity, active, away, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
      [r.id, r.name, r.email, r.team, r.managerId, r.regions, r.productLines, r.capacity, r.active, r.away, r.updatedAt],
    );
    await appendToOutbox(m, events);
    return m.findOneOrFail(RepEntity, { where: { id: r.id } });
  }

  async update(m: EntityManager, r: RepRow): Promise<RepEntity> {
    await m.query(
      `UPDATE reps SET name = $2, email = $3, team = $4, manager_id = $5, regions = $6, product_lines = $7, capacity = $8,
              active = $9, away = $10, version = version + 1, updated_at = $11
        WHERE id = $1`,
      [r.id, r.name, r.email, r.team, r.managerId, r.regions, r.productLines, r.capacity, r.active, r.away, r.updatedAt],
    );
    return m.findOneOrFail(RepEntity, { where: { id: r.id } });
  }
}
