import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, expectVersion, type Decision } from '@crm/domain';
import { appendToOutbox, type EmitEvents } from '@crm/messaging';

/** How one aggregate is loaded and saved; each aggregate's repository provides it. */
export interface AggregateStep<State extends { version: number }, Changes, Result> {
  /** Loads the aggregate under a row lock; `undefined` when it is absent or not visible to the caller. */
  load(m: EntityManager): Promise<State | undefined>;
  /** What to say when `load` finds nothing; defaults to a plain not-found. */
  notFound: () => DomainError;
  /** The version the caller decided on (If-Match); omitted when the command does not depend on it. */
  expectedVersion?: number;
  /** The pure decision (a `*.domain.ts` function); may throw a DomainError. */
  decide(state: State): Decision<Changes> | Promise<Decision<Changes>>;
  /** Stores the changes; runs only when `decide` returned. */
  save(m: EntityManager, state: State, changes: Changes): Promise<Result>;
  /** Where the decision's events go (e.g. an inbox chunk's one outbox write, `outboxOf`); absent, the outbox at once. */
  emit?: EmitEvents;
}

/**
 * The one way a command changes an aggregate: load it locked, check the version, decide, save the changes
 * and append the decision's events to the outbox, all in the caller's transaction. Whatever throws rolls
 * back the whole step, so nothing is half-stored and no event leaves without its change.
 */
export async function loadDecideSave<State extends { version: number }, Changes, Result>(
  m: EntityManager,
  step: AggregateStep<State, Changes, Result>,
): Promise<Result> {
  const state = await step.load(m);
  if (!state) throw step.notFound();
  expectVersion(state.version, step.expectedVersion);
  const { changes, events } = await step.decide(state);
  const result = await step.save(m, state, changes);
  await (step.emit ? step.emit(events) : appendToOutbox(m, events));
  return result;
}

/** Runs `work` in a transaction of its own, or in the caller's when given a manager already in one. */
export function inTransaction<T>(source: DataSource | EntityManager, work: (m: EntityManager) => Promise<T>): Promise<T> {
  if ('queryRunner' in source && source.queryRunner?.isTransactionActive) return work(source);
  return source.transaction(work);
}
