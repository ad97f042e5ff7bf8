import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { AssignmentService } from '../assignment/assignment.service';
import { assertMayChange, decideCreateRep, decideUpdateRep, type NewRepInput, type RepChangeInput } from './rep.domain';
import { RepEntity } from './rep.entity';
import { RepsRepository } from './reps.repository';

const notFound = (id: string) => DomainError.notFound('rep', id);

/** Reps and their capacity; every create or change is published as `rep.upserted` (orders files orders by team). */
@Injectable()
export class RepsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reps: RepsRepository,
    private readonly assignment: AssignmentService,
  ) {}

  list(): Promise<RepEntity[]> {
    return this.reps.list();
  }

  async get(id: string): Promise<RepEntity> {
    const rep = await this.reps.find(id);
    if (!rep) throw notFound(id);
    return rep;
  }

  async create(user: AuthUser, input: NewRepInput & { id?: string }): Promise<RepEntity> {
    const decision = decideCreateRep(accessScope(user), input.id ?? randomUUID(), input, new Date());
    const rep = await inTransaction(this.dataSource, (m) => this.reps.create(m, decision));
    await this.assignment.retryUnassigned();
    return rep;
  }

  async update(user: AuthUser, id: string, input: RepChangeInput, expectedVersion: number): Promise<RepEntity> {
    const scope = accessScope(user);
    const rep = await inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        // Who may change the rep is settled before its version: a stranger learns nothing from a 412.
        load: async (m) => {
          const rep = await this.reps.lock(m, id);
          if (rep) assertMayChange(scope, rep, input);
          return rep;
        },
        notFound: () => notFound(id),
        expectedVersion,
        decide: (current) => decideUpdateRep(current, input, new Date()),
        save: (m, _current, changes) => this.reps.update(m, changes),
      }),
    );
    // More capacity, back from leave, or reactivated: queued leads may now have a rep.
    await this.assignment.retryUnassigned();
    return rep;
  }
}
