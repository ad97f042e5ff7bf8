import { chronologyIssues, duplicateIssues, refuseInvalidRecords } from './history';
import { DomainError } from './domain-error';

const now = new Date('2026-01-01T00:00:00Z');

describe('chronologyIssues', () => {
  it('accepts moments in order, skipping absent ones', () => {
    expect(
      chronologyIssues(
        [
          ['a', '2025-01-01T00:00:00Z'],
          ['b', undefined],
          ['c', '2025-01-01T00:00:00Z'],
          ['d', '2025-02-01T00:00:00Z'],
        ],
        now,
      ),
    ).toEqual([]);
  });

  it('names a moment before the one it follows, and one in the future', () => {
    expect(
      chronologyIssues(
        [
          ['capturedAt', '2025-03-01T00:00:00Z'],
          ['qualifiedAt', '2025-02-01T00:00:00Z'],
          ['convertedAt', '2026-02-01T00:00:00Z'],
        ],
        now,
      ),
    ).toEqual([
      { field: 'qualifiedAt', message: 'qualifiedAt must not be before capturedAt', constraint: 'chronology' },
      { field: 'convertedAt', message: 'convertedAt must not be in the future', constraint: 'notInFuture' },
    ]);
  });

  it('compares with the latest moment so far, not just the previous one', () => {
    const issues = chronologyIssues(
      [
        ['a', '2025-05-01T00:00:00Z'],
        ['b', '2025-04-01T00:00:00Z'],
        ['c', '2025-04-15T00:00:00Z'],
      ],
      now,
    );
    expect(issues.map((i) => i.field)).toEqual(['b', 'c']);
  });
});

describe('refuseInvalidRecords', () => {
  it('throws one invalid DomainError with every record’s fields addressed by index', () => {
    const run = () => refuseInvalidRecords('leads', [[], [{ field: 'capturedAt', message: 'bad' }], [{ field: '', message: 'whole record' }]]);
    expect(run).toThrow(DomainError);
    try {
      run();
    } catch (err) {
      expect((err as DomainError).kind).toBe('invalid');
      expect((err as DomainError).fields).toEqual([
        { field: 'leads[1].capturedAt', message: 'bad' },
        { field: 'leads[2]', message: 'whole record' },
      ]);
    }
  });

  it('does nothing when every record is fine', () => {
    expect(() => refuseInvalidRecords('orders', [[], []])).not.toThrow();
  });
});

describe('duplicateIssues', () => {
  it('refuses the later repeats of an external id', () => {
    expect(duplicateIssues(['a', 'b', 'a', 'a']).map((i) => i.length)).toEqual([0, 0, 1, 1]);
  });
});
