import { IllegalMoveError } from '../pipeline/pipeline.domain';
import { LINE, openOpportunity, OPPORTUNITY_ID, REP_ID } from '../../test/domain-fixtures';
import { decideLose, decideMove, decideReopen, decideWin } from './opportunity-stage.domain';

const actor = { by: REP_ID, now: new Date('2026-02-01T10:00:00Z') };
const ready = openOpportunity({ fields: { needsReport: 'doc' }, lines: [LINE], tasks: [{ id: 't-1', key: 'demo', doneAt: actor.now }] });

describe('decideMove', () => {
  it('moves forward with its history entry and opportunity.stage_changed, and asks for a new score', () => {
    const { changes, events } = decideMove(ready, 'negotiation', actor);
    expect(changes.set).toEqual({ stage: 'negotiation', stageEnteredAt: actor.now });
    expect(changes.move).toEqual({ fromStage: 'needs_analysis', toStage: 'negotiation', by: REP_ID, at: actor.now });
    expect(changes.rescore).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['crm.opportunity.stage_changed']);
    expect(events[0].data).toEqual({
      opportunityId: OPPORTUNITY_ID,
      repId: REP_ID,
      fromStage: 'needs_analysis',
      toStage: 'negotiation',
      winProbability: 0.6,
      by: REP_ID,
      changedAt: actor.now.toISOString(),
    });
  });

  it('lists every unmet exit criterion of every stage left', () => {
    const refusal = (() => {
      try {
        decideMove(openOpportunity(), 'negotiation', actor);
      } catch (err) {
        return err;
      }
    })();
    expect(refusal).toMatchObject({
      kind: 'conflict',
      code: 'EXIT_CRITERIA_UNMET',
      detail: expect.stringContaining('Cannot move from needs_analysis to negotiation: needsReport is required before leaving needs_analysis'),
      fields: [
        { field: 'needsReport', message: expect.any(String), constraint: 'exitCriteria:needs_analysis' },
        { field: 'lines', message: expect.any(String), constraint: 'exitCriteria:proposal' },
        { field: 'tasks.demo', message: expect.any(String), constraint: 'exitCriteria:proposal' },
      ],
    });
  });

  it('refuses an illegal move as ILLEGAL_STAGE_MOVE', () => {
    expect(() => decideMove(ready, 'needs_analysis', actor)).toThrow(IllegalMoveError);
    expect(() => decideMove(ready, 'won', actor)).toThrow(expect.objectContaining({ kind: 'conflict', code: 'ILLEGAL_STAGE_MOVE' }));
  });
});

describe('decideWin', () => {
  it('closes as won for the exact sum of its lines, with opportunity.won after opportunity.stage_changed', () => {
    const { changes, events } = decideWin(ready, { paymentTerms: 'NET30' }, actor);
    expect(changes.set).toEqual({ status: 'won', wonAmount: '54.97', paymentTerms: 'NET30', stage: 'won', stageEnteredAt: actor.now, closedAt: actor.now });
    expect(changes.lines).toBeUndefined();
    expect(changes.rescore).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['crm.opportunity.stage_changed', 'crm.opportunity.won']);
    expect(events[1].data).toMatchObject({
      opportunityId: OPPORTUNITY_ID,
      amount: '54.97',
      currency: 'USD',
      paymentTerms: 'NET30',
      team: 'east',
      wonAt: actor.now.toISOString(),
      lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 3, unitPrice: '19.99', discount: '5.00' }],
    });
  });

  it("carries the opportunity's account and contact when known, and leaves them out otherwise", () => {
    const [accountId, contactId] = ['7c0a2f1e-0000-4000-8000-00000000000a', '7c0a2f1e-0000-4000-8000-00000000000c'];
    expect(decideWin({ ...ready, accountId, contactId }, {}, actor).events[1].data).toMatchObject({ accountId, contactId });
    const data = decideWin(ready, {}, actor).events[1].data as Record<string, unknown>;
    expect('accountId' in data && data.accountId !== undefined).toBe(false);
  });

  it('takes the lines sent instead, and checks the exit criteria with them', () => {
    const noLines = openOpportunity({ fields: { needsReport: 'doc' }, tasks: [{ id: 't-1', key: 'demo', doneAt: actor.now }] });
    const { changes } = decideWin(noLines, { lines: [{ sku: 'B', productName: 'B', quantity: 2, unitPrice: '10' }] }, actor);
    expect(changes.lines).toEqual([{ sku: 'B', productName: 'B', quantity: 2, unitPrice: '10.00', discount: '0.00', lineTotal: '20.00' }]);
    expect(changes.set).toMatchObject({ wonAmount: '20.00', paymentTerms: null });
  });

  it('needs lines, met exit criteria and an open opportunity', () => {
    expect(() => decideWin(openOpportunity({ fields: { needsReport: 'doc' } }), {}, actor)).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'lines' })] }),
    );
    expect(() => decideWin(openOpportunity({ lines: [LINE] }), {}, actor)).toThrow(expect.objectContaining({ code: 'EXIT_CRITERIA_UNMET' }));
    expect(() => decideWin({ ...ready, status: 'won', stage: 'won' }, {}, actor)).toThrow(expect.objectContaining({ code: 'OPPORTUNITY_CLOSED' }));
  });
});

describe('decideLose', () => {
  it('closes as lost with the reason, publishing opportunity.lost; a closed deal stays closed', () => {
    const { changes, events } = decideLose(openOpportunity(), { reason: 'budget frozen', competitor: 'Globex' }, actor);
    expect(changes.set).toEqual({
      status: 'lost',
      lostReason: 'budget frozen',
      competitor: 'Globex',
      stage: 'lost',
      stageEnteredAt: actor.now,
      closedAt: actor.now,
    });
    expect(events.map((e) => e.type)).toEqual(['crm.opportunity.stage_changed', 'crm.opportunity.lost']);
    expect(events[1].data).toMatchObject({ stage: 'needs_analysis', reason: 'budget frozen', competitor: 'Globex', lostAt: actor.now.toISOString() });
    expect(() => decideLose({ ...ready, status: 'lost', stage: 'lost' }, { reason: 'x' }, actor)).toThrow(
      expect.objectContaining({ code: 'OPPORTUNITY_CLOSED' }),
    );
  });
});

describe('decideReopen', () => {
  it('returns a closed deal to the stage it was closed from, clearing the outcome', () => {
    const closed = openOpportunity({ status: 'won', stage: 'won', closedFrom: 'proposal' });
    const { changes, events } = decideReopen(closed, actor);
    expect(changes.set).toEqual({
      status: 'open',
      wonAmount: null,
      paymentTerms: null,
      lostReason: null,
      competitor: null,
      closedAt: null,
      stage: 'proposal',
      stageEnteredAt: actor.now,
    });
    expect(changes.rescore).toBe(true);
    expect(events[0].data).toMatchObject({ fromStage: 'won', toStage: 'proposal' });
    expect(decideReopen({ ...closed, closedFrom: null }, actor).changes.set?.stage).toBe('needs_analysis');
  });

  it('refuses an open opportunity', () => {
    expect(() => decideReopen(openOpportunity(), actor)).toThrow(expect.objectContaining({ kind: 'conflict', code: 'NOT_CLOSED' }));
  });
});
