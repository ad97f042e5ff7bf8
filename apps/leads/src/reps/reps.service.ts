import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { accessScope, assertVersion, HttpProblemCode, ProblemException, type AuthUser } from '@crm/http';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { AssignmentService } from '../assignment/assignment.service';
import { RepEntity } from './rep.entity';
import type { CreateRepDto, UpdateRepDto } from './reps.dto';

const notFound = (id: string) => new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No rep ${id}.` });

/** Reps and their capacity; every create or change is published as `rep.upserted` (orders files orders by team). */
@Injectable()
export class RepsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly assignment: AssignmentService,
  ) {}

  list(): Promise<RepEntity[]> {
    return this.dataSource.getRepository(RepEntity).find({ order: { team: 'ASC', name: 'ASC', id: 'ASC' } });
  }

  async get(id: string): Promise<RepEntity> {
    const rep = await this.dataSource.getRepository(RepEntity).findOne({ where: { id } });
    if (!rep) throw notFound(id);
    return rep;
  }

  async create(user: AuthUser, dto: CreateRepDto): Promise<RepEntity> {
    this.assertTeam(user, dto.team);
    const id = dto.id ?? randomUUID();
    const rep = await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO reps (id, name, email, team, manager_id, regions, product_lines, capacity, active, away)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [id, dto.name, dto.email, dto.team ?? null, dto.managerId ?? null, dto.regions ?? [], dto.productLines ?? [], dto.capacity, dto.active ?? true, dto.away ?? false],
      );
      return this.publish(m, id);
    });
    await this.assignment.retryUnassigned();
    return rep;
  }

  async update(user: AuthUser, id: string, dto: UpdateRepDto, expectedVersion: number): Promise<RepEntity> {
    const rep = await this.dataSource.transaction(async (m) => {
      const current = await m.findOne(RepEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw notFound(id);
      this.assertTeam(user, current.team);
      if (dto.team !== undefined) this.assertTeam(user, dto.team);
      assertVersion(current.version, expectedVersion);
      await m.query(
        `UPDATE reps SET name = COALESCE($2, name), email = COALESCE($3, email), team = COALESCE($4, team), manager_id = COALESCE($5, manager_id),
                regions = COALESCE($6, regions), product_lines = COALESCE($7, product_lines), capacity = COALESCE($8, capacity),
                active = COALESCE($9, active), away = COALESCE($10, away), version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, dto.name ?? null, dto.email ?? null, dto.team ?? null, dto.managerId ?? null, dto.regions ?? null, dto.productLines ?? null,
          dto.capacity ?? null, dto.active ?? null, dto.away ?? null],
      );
      return this.publish(m, id);
    });
    // More capacity, back from leave, or reactivated: queued leads may now have a rep.
    await this.assignment.retryUnassigned();
    return rep;
  }

  private async publish(m: EntityManager, id: string): Promise<RepEntity> {
    const rep = await m.findOneOrFail(RepEntity, { where: { id } });
    await appendToOutbox(m, [
      newEvent('rep.upserted', {
        subject: rep.id,
        data: {
          repId: rep.id,
          name: rep.name,
          email: rep.email,
          team: rep.team ?? undefined,
          managerId: rep.managerId ?? undefined,
          regions: rep.regions,
          productLines: rep.productLines,
          capacity: rep.capacity,
          active: rep.active,
          updatedAt: rep.updatedAt.toISOString(),
        },
      }),
    ]);
    return rep;
  }

  /** A manager runs their own team only. */
  private assertTeam(user: AuthUser, team: string | null | undefined) {
    const scope = accessScope(user);
    if (scope.kind === 'all') return;
    if (scope.kind === 'team' && team === scope.team) return;
    throw new ProblemException({ status: HttpStatus.FORBIDDEN, code: HttpProblemCode.Forbidden, detail: 'A manager manages the reps of their own team only.' });
  }
}
