import { planWrites, type FactWrite } from './fact-writes';

const w = (kind: 'leadCaptured' | 'leadAssigned' | 'leadQualified', key: string, n: number) => ({ kind, key, row: { n } }) as unknown as FactWrite;
const plan = (writes: FactWrite[]) => planWrites(writes).map((p) => `${p.kind}:${p.writes.map((x) => (x.row as unknown as { n: number }).n).join(',')}`);

describe('planWrites', () => {
  it('writes each kind once per round: many events of one kind to different facts are one statement', () => {
    expect(plan([w('leadCaptured', 'a', 1), w('leadCaptured', 'b', 2), w('leadAssigned', 'c', 3), w('leadCaptured', 'c', 4)])).toEqual([
      'leadCaptured:1,2',
      'leadAssigned:3',
      'leadCaptured:4',
    ]);
  });

  it('keeps each fact’s writes in their order, never two to one fact in a statement', () => {
    const writes = [w('leadCaptured', 'a', 1), w('leadAssigned', 'a', 2), w('leadCaptured', 'b', 3), w('leadAssigned', 'a', 4), w('leadAssigned', 'b', 5)];
    const planned = planWrites(writes);
    expect(plan(writes)).toEqual(['leadCaptured:1,3', 'leadAssigned:2,5', 'leadAssigned:4']);
    for (const p of planned) expect(new Set(p.writes.map((x) => x.key)).size).toBe(p.writes.length);
    const order = planned.flatMap((p) => p.writes.filter((x) => x.key === 'a').map((x) => (x.row as unknown as { n: number }).n));
    expect(order).toEqual([1, 2, 4]);
  });
});
