import { DomainError } from '@crm/domain';
import { decideAddTask, decideCompleteTask, decideUpdate, mergeFields, pricedLines } from './opportunity.domain';
import { LINE, openOpportunity } from '../../test/domain-fixtures';

const now = new Date('2026-02-01T10:00:00Z');
const won = openOpportunity({ status: 'won', stage: 'won' });

describe('mergeFields and pricedLines', () => {
  it('merges custom fields, null removing one, and refuses bad names and values by field', () => {
    expect(mergeFields({ a: '1', b: '2' }, { b: null, c: '3' })).toEqual({ a: '1', c: '3' });
    expect(() => mergeFields({}, { '9x': 'v' })).toThrow(
      expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'fields.9x' })] }),
    );
    expect(() => mergeFields({}, { note: 'x'.repeat(2001) })).toThrow(expect.objectContaining({ fields: [expect.objectContaining({ field: 'fields.note' })] }));
  });

  it('prices lines exactly and refuses a discount larger than its line on that line', () => {
    expect(pricedLines([{ sku: 'A', productName: 'A', quantity: 3, unitPrice: '19.99', discount: '5' }])[0]).toMatchObject({
      lineTotal: '54.97',
      discount: '5.00',
    });
    expect(() =>
      pricedLines([
        { sku: 'A', productName: 'A', quantity: 1, unitPrice: '1' },
        { sku: 'B', productName: 'B', quantity: 1, unitPrice: '1', discount: '2' },
      ]),
    ).toThrow(expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'lines[1].discount' })] }));
  });
});

describe('decideUpdate', () => {
  const actor = { by: 'rep-1', now };
  const termsOf = (d: { events: { type: string; data: unknown }[] }) => d.events.filter((e) => e.type === 'crm.opportunity.terms_changed').map((e) => e.data);

  it('sets what is given, always rewrites the fields (a new version) and asks for a new score', () => {
    const { changes } = decideUpdate(openOpportunity({ fields: { a: '1' } }), { expectedAmount: '25000', region: 'north', fields: { b: '2' } }, actor);
    expect(changes.set).toEqual({ fields: { a: '1', b: '2' }, expectedAmount: '25000.00', region: 'north' });
    expect(changes.lines).toBeUndefined();
    expect(changes.rescore).toBe(true);
    expect(decideUpdate(openOpportunity(), { lines: [{ sku: 'A', productName: 'A', quantity: 2, unitPrice: '10' }] }, actor).changes.lines).toEqual([
      { sku: 'A', productName: 'A', quantity: 2, unitPrice: '10.00', discount: '0.00', lineTotal: '20.00' },
    ]);
  });

  it('publishes opportunity.terms_changed with the terms as they now stand when the amount or close date changes', () => {
    const o = openOpportunity({ lines: [LINE] });
    const d = decideUpdate(o, { expectedAmount: '25000', expectedCloseDate: '2026-09-30', region: 'north' }, actor);
    expect(d.events).toHaveLength(1);
    expect(d.events[0]).toMatchObject({ type: 'crm.opportunity.terms_changed', subject: o.id });
    expect(termsOf(d)).toEqual([
      {
        opportunityId: o.id,
        repId: o.repId,
        expectedAmount: '25000.00',
        currency: 'USD',
        expectedCloseDate: '2026-09-30',
        lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 3, unitPrice: '19.99', discount: '5.00' }],
        changed: ['expectedAmount', 'expectedCloseDate'],
        by: 'rep-1',
        changedAt: now.toISOString(),
      },
    ]);
    expect(termsOf(decideUpdate(o, { expectedCloseDate: '2026-07-01' }, actor))).toEqual([
      expect.objectContaining({ expectedAmount: '1000.00', expectedCloseDate: '2026-07-01', changed: ['expectedCloseDate'] }),
    ]);
  });

  it('publishes the new lines when they change, and names only the lines as changed', () => {
    const o = openOpportunity({ lines: [LINE] });
    const d = decideUpdate(o, { lines: [{ ...LINE, quantity: 4 }] }, actor);
    expect(termsOf(d)).toEqual([expect.objectContaining({ changed: ['lines'], lines: [expect.objectContaining({ sku: 'PUMP-200', quantity: 4 })] })]);
    expect(termsOf(decideUpdate(o, { lines: [] }, actor))).toEqual([expect.objectContaining({ changed: ['lines'], lines: [] })]);
  });

  it('publishes nothing when no term really changed: other details only, or the same values written differently', () => {
    const o = openOpportunity({ lines: [{ ...LINE, unitPrice: '19.9900', discount: '5.0000' }] });
    expect(decideUpdate(o, { region: 'north', fields: { b: '2' }, productLine: 'pumps' }, actor).events).toEqual([]);
    const same = decideUpdate(
      o,
      {
        expectedAmount: '1000',
        expectedCloseDate: '2026-06-30',
        lines: [{ sku: 'PUMP-200', productName: 'Pump', quantity: 3, unitPrice: '19.99', discount: '5' }],
      },
      actor,
    );
    expect(same.events).toEqual([]);
    expect(same.changes.set).toMatchObject({ expectedAmount: '1000.00' });
  });

  it('refuses a closed opportunity', () => {
    expect(() => decideUpdate(won, { region: 'north' }, actor)).toThrow(expect.objectContaining({ kind: 'conflict', code: 'OPPORTUNITY_CLOSED' }));
  });
});

describe('tasks', () => {
  const task = { id: 't-2', key: 'demo', title: 'Demo' };

  it('adds a task once per key, on an open opportunity only', () => {
    expect(decideAddTask(openOpportunity(), task, 'rep').changes.newTask).toEqual({ id: 't-2', key: 'demo', title: 'Demo', dueAt: null, createdBy: 'rep' });
    const existing = openOpportunity({ tasks: [{ id: 't-1', key: 'demo', doneAt: null }] });
    expect(() => decideAddTask(existing, task, 'rep')).toThrow(expect.objectContaining({ kind: 'conflict', code: 'TASK_EXISTS' }));
    expect(() => decideAddTask(won, task, 'rep')).toThrow(expect.objectContaining({ code: 'OPPORTUNITY_CLOSED' }));
  });

  it('completes a task as activity, once; an unknown task is not found', () => {
    const o = openOpportunity({ tasks: [{ id: 't-1', key: 'demo', doneAt: null }] });
    expect(decideCompleteTask(o, 't-1', { by: 'rep', now }).changes).toEqual({ doneTask: { id: 't-1', doneAt: now, doneBy: 'rep' }, activity: true });
    const done = openOpportunity({ tasks: [{ id: 't-1', key: 'demo', doneAt: now }] });
    expect(decideCompleteTask(done, 't-1', { by: 'rep', now })).toEqual({ changes: {}, events: [] });
    expect(() => decideCompleteTask(o, 't-9', { by: 'rep', now })).toThrow(DomainError);
    expect(() => decideCompleteTask(o, 't-9', { by: 'rep', now })).toThrow(
      expect.objectContaining({ kind: 'not_found', detail: `No task t-9 on opportunity ${o.id}.` }),
    );
    expect(() => decideCompleteTask({ ...o, status: 'lost' }, 't-1', { by: 'rep', now })).toThrow(expect.objectContaining({ code: 'OPPORTUNITY_CLOSED' }));
  });
});
