import { customerSummary } from './summary.domain';

describe('customer summary', () => {
  it('prints every amount exactly per currency and leaves settled currencies out of the outstanding', () => {
    const summary = customerSummary(
      'a1',
      { ownerRepId: 'r1', team: 't' },
      {
        openPipeline: [{ currency: 'CNY', amount: '1000.1000' }],
        lifetimeRevenue: [
          { currency: 'CNY', amount: '0.3000' },
          { currency: 'EUR', amount: '12.3450' },
        ],
        outstanding: [
          { currency: 'CNY', amount: '0.0000' },
          { currency: 'EUR', amount: '2.0100' },
        ],
        lastContact: { at: new Date('2025-01-02T03:04:05Z'), channel: 'call', repId: 'r2', leadId: 'l1' },
        satisfaction: { average: '4.50', count: 2 },
        reps: [{ repId: 'r2', openRecords: 1, records: 3 }],
      },
    );
    expect(summary).toEqual({
      id: 'a1',
      openPipeline: [{ currency: 'CNY', amount: '1000.10' }],
      lifetimeRevenue: [
        { currency: 'CNY', amount: '0.30' },
        { currency: 'EUR', amount: '12.345' },
      ],
      outstandingReceivables: [{ currency: 'EUR', amount: '2.01' }],
      lastContact: { at: '2025-01-02T03:04:05.000Z', channel: 'call', repId: 'r2', leadId: 'l1' },
      satisfaction: { average: '4.50', count: 2 },
      owner: { repId: 'r1', team: 't' },
      reps: [{ repId: 'r2', openRecords: 1, records: 3 }],
    });
  });

  it('has no average without feedback and no last contact without follow-ups', () => {
    const empty = customerSummary(
      'a',
      { ownerRepId: null, team: null },
      {
        openPipeline: [],
        lifetimeRevenue: [],
        outstanding: [],
        lastContact: null,
        satisfaction: { average: null, count: 0 },
        reps: [],
      },
    );
    expect(empty).toMatchObject({ lastContact: null, satisfaction: { average: null, count: 0 } });
  });
});
