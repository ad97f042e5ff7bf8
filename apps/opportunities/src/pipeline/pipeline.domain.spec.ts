import { decideNewPipeline, IllegalMoveError, planMove, stageProgress, unmetExitCriteria, validatePipeline, type StageDef } from './pipeline.domain';

const stage = (key: string, position: number, extra: Partial<StageDef> = {}): StageDef => ({
  key,
  name: key,
  position,
  winProbability: 0.1,
  outcome: null,
  exitCriteria: {},
  timeLimitHours: 24,
  ...extra,
});
const stages = [
  stage('needs_analysis', 0, { exitCriteria: { requiredFields: ['needsReport'], requiredTasks: ['discovery_call'] } }),
  stage('proposal', 1, { exitCriteria: { requiredFields: ['lines'] } }),
  stage('negotiation', 2),
  stage('contract', 3),
  stage('won', 4, { outcome: 'won' }),
  stage('lost', 5, { outcome: 'lost' }),
];

describe('planMove', () => {
  it('returns every stage left when skipping forward', () => {
    expect(planMove(stages, 'needs_analysis', 'negotiation').left.map((s) => s.key)).toEqual(['needs_analysis', 'proposal']);
    expect(planMove(stages, 'proposal', 'negotiation').left.map((s) => s.key)).toEqual(['proposal']);
  });
  it('refuses backward, same-stage, unknown and outcome moves', () => {
    expect(() => planMove(stages, 'negotiation', 'proposal')).toThrow(IllegalMoveError);
    expect(() => planMove(stages, 'proposal', 'proposal')).toThrow(IllegalMoveError);
    expect(() => planMove(stages, 'proposal', 'nowhere')).toThrow(/unknown stage/);
    expect(() => planMove(stages, 'proposal', 'won')).toThrow(/win action/);
    expect(() => planMove(stages, 'won', 'contract')).toThrow(/closed/);
  });
  it('closing leaves every open stage from the current one', () => {
    expect(planMove(stages, 'proposal', 'won', true).left.map((s) => s.key)).toEqual(['proposal', 'negotiation', 'contract']);
  });
});

describe('unmetExitCriteria', () => {
  it('lists missing fields and open tasks of each stage left, and nothing once they are met', () => {
    const left = planMove(stages, 'needs_analysis', 'negotiation').left;
    expect(unmetExitCriteria(left, { fields: { lines: [] }, doneTasks: [] })).toEqual([
      expect.objectContaining({ stage: 'needs_analysis', kind: 'field', name: 'needsReport' }),
      expect.objectContaining({ stage: 'needs_analysis', kind: 'task', name: 'discovery_call' }),
      expect.objectContaining({ stage: 'proposal', kind: 'field', name: 'lines' }),
    ]);
    expect(unmetExitCriteria(left, { fields: { needsReport: 'doc', lines: [{}] }, doneTasks: ['discovery_call'] })).toEqual([]);
    expect(unmetExitCriteria(left, { fields: { needsReport: '', lines: [{}] }, doneTasks: ['discovery_call'] })).toHaveLength(1);
  });
});

describe('stageProgress and validatePipeline', () => {
  it('places open stages between 0 and 1', () => {
    expect(stageProgress(stages, 'needs_analysis')).toBe(0);
    expect(stageProgress(stages, 'negotiation')).toBeCloseTo(2 / 3);
    expect(stageProgress(stages, 'contract')).toBe(1);
  });
  it('needs one won and one lost stage and unique keys', () => {
    expect(validatePipeline(stages)).toEqual([]);
    expect(validatePipeline([stage('a', 0), stage('a', 1), stage('won', 2, { outcome: 'won' })])).toEqual([
      'stages[1].key: duplicate stage a',
      'stages: exactly one lost stage is needed, found 0',
    ]);
  });
});

describe('decideNewPipeline', () => {
  const input = [
    { key: 'qualify', name: 'Qualify', winProbability: 0.2, exitCriteria: { requiredTasks: ['discovery_call'] }, timeLimitHours: 24 },
    { key: 'close', name: 'Close', winProbability: 0.7 },
    { key: 'won', name: 'Won', winProbability: 1, outcome: 'won' as const },
    { key: 'lost', name: 'Lost', winProbability: 0, outcome: 'lost' as const },
  ];

  it('numbers the stages in order, never as the default pipeline', () => {
    const { changes, events } = decideNewPipeline('p-1', 'with-task', input);
    expect(changes).toMatchObject({ id: 'p-1', name: 'with-task', isDefault: false });
    expect(changes.stages[1]).toEqual({ key: 'close', name: 'Close', position: 1, winProbability: 0.7, outcome: null, exitCriteria: {}, timeLimitHours: null });
    expect(changes.stages.map((s) => s.position)).toEqual([0, 1, 2, 3]);
    expect(events).toEqual([]);
  });

  it('refuses an unusable pipeline, each problem on its field', () => {
    expect(() => decideNewPipeline('p-2', 'x', input.slice(0, 3))).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        detail: 'The pipeline is not usable.',
        fields: [{ field: 'stages', message: 'exactly one lost stage is needed, found 0' }],
      }),
    );
  });
});

describe('IllegalMoveError', () => {
  it('is a conflict the edges answer as ILLEGAL_STAGE_MOVE with its reason', () => {
    expect(() => planMove(stages, 'negotiation', 'proposal')).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'ILLEGAL_STAGE_MOVE', detail: 'stages move forward only: proposal is not after negotiation' }),
    );
  });
});
