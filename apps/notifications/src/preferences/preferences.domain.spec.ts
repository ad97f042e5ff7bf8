import { DomainError } from '@crm/domain';
import { decidePreferences, preferenceMatrix } from './preferences.domain';

describe('preference matrix', () => {
  const types = [
    { type: 'stage_overdue' as const, critical: false },
    { type: 'stock_shortage' as const, critical: true },
  ];

  it('has every type × channel, on unless turned off, and a critical type always on', () => {
    const cells = preferenceMatrix(types, [
      { type: 'stage_overdue', channel: 'email', enabled: false },
      { type: 'stock_shortage', channel: 'email', enabled: false },
    ]);
    expect(cells).toHaveLength(6);
    expect(cells.find((c) => c.type === 'stage_overdue' && c.channel === 'email')).toEqual({
      type: 'stage_overdue',
      channel: 'email',
      enabled: false,
      critical: false,
    });
    expect(cells.find((c) => c.type === 'stage_overdue' && c.channel === 'in_app')?.enabled).toBe(true);
    expect(cells.filter((c) => c.type === 'stock_shortage').every((c) => c.enabled && c.critical)).toBe(true);
  });
});

describe('decidePreferences', () => {
  const critical = new Set(['stock_shortage', 'order_late'] as const);

  it('passes a change of non-critical types, and turning a critical type on', () => {
    const items = [
      { type: 'stage_overdue' as const, channel: 'email' as const, enabled: false },
      { type: 'stock_shortage' as const, channel: 'email' as const, enabled: true },
    ];
    expect(decidePreferences(items, critical)).toEqual(items);
  });

  it('refuses the whole change with CRITICAL_TYPE naming each critical type turned off', () => {
    expect.assertions(3);
    try {
      decidePreferences(
        [
          { type: 'stage_overdue', channel: 'email', enabled: false },
          { type: 'stock_shortage', channel: 'email', enabled: false },
          { type: 'order_late', channel: 'webhook', enabled: false },
        ],
        critical,
      );
    } catch (e) {
      expect((e as DomainError).code).toBe('CRITICAL_TYPE');
      expect((e as DomainError).kind).toBe('conflict');
      expect((e as DomainError).extensions).toEqual({ types: ['stock_shortage', 'order_late'] });
    }
  });

  it('refuses a cell named twice', () => {
    const twice = () =>
      decidePreferences(
        [
          { type: 'stage_overdue', channel: 'email', enabled: false },
          { type: 'stage_overdue', channel: 'email', enabled: true },
        ],
        critical,
      );
    expect(twice).toThrow(expect.objectContaining({ kind: 'invalid', fields: [expect.objectContaining({ field: 'items[1]' })] }));
  });
});
