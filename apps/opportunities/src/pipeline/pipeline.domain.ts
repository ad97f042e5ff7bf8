import { DomainError, type Decision } from '@crm/domain';

/** A pipeline stage as configured; `outcome` marks the closing stages (won, lost). */
export interface StageDef {
  key: string;
  name: string;
  position: number;
  winProbability: number;
  outcome: 'won' | 'lost' | null;
  exitCriteria: ExitCriteria;
  timeLimitHours: number | null;
}

export interface ExitCriteria {
  /** Fields that must be filled before the stage is left: an opportunity column (`lines`, `expectedAmount`…) or a custom field (`needsReport`). */
  requiredFields?: string[];
  /** Task keys that must be completed before the stage is left. */
  requiredTasks?: string[];
}

/** What the criteria are checked against. */
export interface CriteriaFacts {
  fields: Record<string, unknown>;
  doneTasks: readonly string[];
}

export interface UnmetCriterion {
  stage: string;
  kind: 'field' | 'task';
  name: string;
  message: string;
}

/** A move the pipeline does not allow (backward, unknown stage, out of a closed deal): 409 ILLEGAL_STAGE_MOVE. */
export class IllegalMoveError extends DomainError {
  override name = 'IllegalMoveError';
  constructor(detail: string) {
    super({ kind: 'conflict', code: 'ILLEGAL_STAGE_MOVE', detail });
  }
}

const isFilled = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** Every exit criterion of the stages being left that is not met, in stage order. */
export function unmetExitCriteria(stagesLeft: readonly StageDef[], facts: CriteriaFacts): UnmetCriterion[] {
  const done = new Set(facts.doneTasks);
  return stagesLeft.flatMap((stage) => [
    ...(stage.exitCriteria.requiredFields ?? [])
      .filter((field) => !isFilled(facts.fields[field]))
      .map((name) => ({ stage: stage.key, kind: 'field' as const, name, message: `${name} is required before leaving ${stage.key}` })),
    ...(stage.exitCriteria.requiredTasks ?? [])
      .filter((task) => !done.has(task))
      .map((name) => ({ stage: stage.key, kind: 'task' as const, name, message: `task ${name} must be completed before leaving ${stage.key}` })),
  ]);
}

/**
 * A forward move by one or more steps: returns the stages left behind (whose exit criteria apply) and the
 * target. Closing stages are reached only through win/lose (`allowOutcome`), never left by a move.
 */
export function planMove(stages: readonly StageDef[], from: string, to: string, allowOutcome = false): { left: StageDef[]; target: StageDef } {
  const current = stages.find((s) => s.key === from);
  const target = stages.find((s) => s.key === to);
  if (!current) throw new IllegalMoveError(`the opportunity is in unknown stage ${from}`);
  if (!target) throw new IllegalMoveError(`unknown stage ${to}; stages: ${stages.map((s) => s.key).join(', ')}`);
  if (current.outcome) throw new IllegalMoveError(`the opportunity is closed (${from}); a manager must re-open it first`);
  if (target.outcome && !allowOutcome) throw new IllegalMoveError(`${to} closes the opportunity: use the ${target.outcome === 'won' ? 'win' : 'lose'} action`);
  if (!target.outcome && target.position <= current.position) {
    throw new IllegalMoveError(`stages move forward only: ${to} is not after ${from}`);
  }
  const left = stages
    .filter((s) => !s.outcome && s.position >= current.position && (target.outcome ? true : s.position < target.position))
    .sort((a, b) => a.position - b.position);
  return { left, target };
}

/** The open stages in order, and where a stage sits among them (0…1), for the engagement factor. */
export function stageProgress(stages: readonly StageDef[], key: string): number {
  const open = stages.filter((s) => !s.outcome).sort((a, b) => a.position - b.position);
  const index = open.findIndex((s) => s.key === key);
  if (index < 0) return stages.find((s) => s.key === key)?.outcome === 'won' ? 1 : 0;
  return open.length > 1 ? index / (open.length - 1) : 0;
}

/** A pipeline definition is usable: unique keys, some open stages, exactly one won and one lost stage. */
export function validatePipeline(stages: readonly Omit<StageDef, 'position'>[]): string[] {
  const problems: string[] = [];
  const keys = stages.map((s) => s.key);
  keys.forEach((k, i) => keys.indexOf(k) !== i && problems.push(`stages[${i}].key: duplicate stage ${k}`));
  if (!stages.some((s) => !s.outcome)) problems.push('stages: at least one open stage is needed');
  for (const outcome of ['won', 'lost'] as const) {
    const n = stages.filter((s) => s.outcome === outcome).length;
    if (n !== 1) problems.push(`stages: exactly one ${outcome} stage is needed, found ${n}`);
  }
  return problems;
}

/** A stage as an admin defines it, in pipeline order. */
export interface StageInput {
  key: string;
  name: string;
  winProbability: number;
  outcome?: 'won' | 'lost';
  exitCriteria?: ExitCriteria;
  timeLimitHours?: number;
}

export interface NewPipeline {
  id: string;
  name: string;
  isDefault: boolean;
  stages: StageDef[];
}

/** A new pipeline (never the default one): its stages numbered in order, refused as a whole when not usable. */
export function decideNewPipeline(id: string, name: string, input: readonly StageInput[]): Decision<NewPipeline> {
  const stages: StageDef[] = input.map((s, position) => ({
    key: s.key,
    name: s.name,
    position,
    winProbability: s.winProbability,
    outcome: s.outcome ?? null,
    exitCriteria: s.exitCriteria ?? {},
    timeLimitHours: s.timeLimitHours ?? null,
  }));
  const problems = validatePipeline(stages);
  if (problems.length) {
    throw new DomainError({
      kind: 'invalid',
      detail: 'The pipeline is not usable.',
      fields: problems.map((p) => ({ field: p.split(':')[0], message: p.slice(p.indexOf(':') + 2) })),
    });
  }
  return { changes: { id, name, isDefault: false, stages }, events: [] };
}
