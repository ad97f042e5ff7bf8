import { DomainError } from '@crm/domain';
import { decideAddTask, decideCompleteTask, decideUpdate, mergeFields, pricedLines } from './opportunity.domain';
import { openOpportunity } from '../../test/domain-fixtures';

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
  it('sets what is given, always rewrites the fields (a new version) and asks for a new score', () => {
    const { changes, events } = decideUpdate(openOpportunity({ fields: { a: '1' } }), { expectedAmount: '25000', region: 'north', fields: { b: '2' } });
    expect(changes.set).toEqual({ fields: { a: '1', b: '2' }, expectedAmount: '25000.00', region: 'north' });
    expect(changes.lines).toBeUndefined();
    expect(changes.rescore).toBe(true);
    expect(events).toEqual([]);
    expect(decideUpdate(openOpportunity(), { lines: [{ sku: 'A', productName: 'A', quantity: 2, unitPrice: '10' }] }).changes.lines).toEqual([
      { sku: 'A', productName: 'A', quantity: 2, unitPrice: '10.00', discount: '0.00', lineTotal: '20.00' },
    ]);
  });

  it('refuses a closed opportunity', () => {
    expect(() => decideUpdate(won, { region: 'north' })).toThrow(expect.objectContaining({ kind: 'conflict', code: 'OPPORTUNITY_CLOSED' }));
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
