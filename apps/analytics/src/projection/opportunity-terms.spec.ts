import { priceIntervals, termsAt, termsTimeline, type TermsEntry } from './opportunity-terms';
import type { StageInterval } from './projection.domain';

const created: TermsEntry = { kind: 'created', at: '2026-03-01T00:00:00.000Z', amount: '100.00', closeDate: '2026-06-30' };
const raised: TermsEntry = { kind: 'changed', at: '2026-03-10T00:00:00.000Z', amount: '250.00', closeDate: '2026-07-31' };
const open = (seq: number, stage: string, validFrom: string, validTo: string | null, winProbability = 0.5): StageInterval => ({
  seq,
  stage,
  status: 'open',
  winProbability,
  validFrom,
  validTo,
});

describe('termsTimeline and termsAt', () => {
  it('orders the terms by the time they took effect, whatever order they arrived in; the creation first on a tie', () => {
    const sameTime: TermsEntry = { ...raised, at: created.at };
    expect(termsTimeline([raised, created])).toEqual([created, raised]);
    expect(termsTimeline([sameTime, created])).toEqual([created, sameTime]);
    // The same instant written with another offset is the same time.
    expect(termsTimeline([{ ...raised, at: '2026-03-01T07:00:00+08:00' }, created]).map((t) => t.kind)).toEqual(['changed', 'created']);
  });

  it('answers the terms in effect at a time, the first known before them, nothing without terms', () => {
    const timeline = termsTimeline([raised, created]);
    expect(termsAt(timeline, '2026-03-09T23:59:59.999Z')).toBe(created);
    expect(termsAt(timeline, '2026-03-10T00:00:00.000Z')).toBe(raised);
    expect(termsAt(timeline, '2026-02-01T00:00:00.000Z')).toBe(created);
    expect(termsAt([], '2026-02-01T00:00:00.000Z')).toBeNull();
  });
});

describe('priceIntervals', () => {
  it('cuts an interval where the terms changed inside it and numbers the pieces afresh', () => {
    const stages = [open(0, 'qualify', '2026-03-01T00:00:00.000Z', '2026-03-05T00:00:00.000Z', 0.2), open(1, 'proposal', '2026-03-05T00:00:00.000Z', null)];
    expect(priceIntervals(stages, termsTimeline([created, raised])).map((i) => [i.seq, i.stage, i.amount, i.validFrom, i.validTo])).toEqual([
      [0, 'qualify', '100.00', '2026-03-01T00:00:00.000Z', '2026-03-05T00:00:00.000Z'],
      [1, 'proposal', '100.00', '2026-03-05T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
      [2, 'proposal', '250.00', '2026-03-10T00:00:00.000Z', null],
    ]);
  });

  it('does not cut at an interval boundary, and cuts once per instant', () => {
    const stages = [open(0, 'qualify', '2026-03-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z'), open(1, 'proposal', '2026-03-10T00:00:00.000Z', null)];
    const twice = { ...raised, amount: '300.00', at: '2026-03-10T08:00:00+08:00' };
    expect(priceIntervals(stages, termsTimeline([created, raised])).map((i) => i.amount)).toEqual(['100.00', '250.00']);
    const mid = [open(0, 'qualify', '2026-03-01T00:00:00.000Z', null)];
    expect(priceIntervals(mid, termsTimeline([created, raised, twice])).map((i) => [i.amount, i.validFrom])).toEqual([
      ['100.00', '2026-03-01T00:00:00.000Z'],
      ['300.00', '2026-03-10T00:00:00.000Z'],
    ]);
  });

  it('prices nothing without terms', () => {
    expect(priceIntervals([open(0, 'qualify', '2026-03-01T00:00:00.000Z', null)], [])).toEqual([]);
  });
});
