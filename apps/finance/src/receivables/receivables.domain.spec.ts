import { applyPayment, cancellationOf, daysOverdue, dueDateFor, orderTotalMismatch, outstandingOf, statusFor, type ConfirmedLine } from './receivables.domain';

describe('dueDateFor', () => {
  it.each([
    ['NET30', '2026-01-15T10:00:00Z', '2026-02-14'],
    ['NET30', '2026-01-31T23:59:59Z', '2026-03-02'],
    ['NET0', '2026-03-10T08:00:00Z', '2026-03-10'],
    ['NET1', '2026-12-31T12:00:00Z', '2027-01-01'],
    ['NET60', '2024-01-01T00:00:00Z', '2024-03-01'], // 2024 is a leap year: Jan 31 + Feb 29
    ['NET60', '2025-01-01T00:00:00Z', '2025-03-02'],
    ['NET999', '2026-01-01T00:00:00Z', '2028-09-26'],
    ['DUE_ON_RECEIPT', '2026-05-20T18:30:00Z', '2026-05-20'],
    ['EOM', '2026-01-15T00:00:00Z', '2026-01-31'],
    ['EOM', '2024-02-10T00:00:00Z', '2024-02-29'],
    ['EOM', '2025-02-10T00:00:00Z', '2025-02-28'],
    ['EOM', '2100-02-01T00:00:00Z', '2100-02-28'], // divisible by 100, not by 400: no leap day
    ['EOM', '2000-02-01T00:00:00Z', '2000-02-29'],
    ['EOM', '2026-04-30T23:00:00Z', '2026-04-30'],
    ['EOM', '2026-12-31T00:00:00Z', '2026-12-31'],
  ])('%s from %s is %s', (terms, confirmedAt, due) => {
    expect(dueDateFor(terms, confirmedAt)).toBe(due);
  });

  it('takes the business day of the confirmation: 07:30 on April 1 in Beijing is April 1 there, March 31 in UTC', () => {
    expect(dueDateFor('DUE_ON_RECEIPT', '2026-03-31T23:30:00Z', 'Asia/Shanghai')).toBe('2026-04-01');
    expect(dueDateFor('EOM', '2026-03-31T23:30:00Z', 'Asia/Shanghai')).toBe('2026-04-30');
    expect(dueDateFor('NET30', '2026-03-31T23:30:00Z', 'Asia/Shanghai')).toBe('2026-05-01');
    expect(dueDateFor('NET30', '2026-03-31T15:59:59Z', 'Asia/Shanghai')).toBe('2026-04-30');
    expect(dueDateFor('EOM', '2026-03-31T23:30:00Z', 'UTC')).toBe('2026-03-31');
  });

  it('takes the calendar date in UTC by default, whatever the offset the timestamp was written with', () => {
    // 23:30 at -05:00 on Jan 31 is Feb 1 in UTC.
    expect(dueDateFor('DUE_ON_RECEIPT', '2026-01-31T23:30:00-05:00')).toBe('2026-02-01');
    expect(dueDateFor('EOM', '2026-01-31T23:30:00-05:00')).toBe('2026-02-28');
  });

  it('refuses unknown terms and bad timestamps', () => {
    expect(() => dueDateFor('NET-1', '2026-01-01T00:00:00Z')).toThrow(/unknown payment terms/);
    expect(() => dueDateFor('NET30', 'yesterday')).toThrow(/not a timestamp/);
  });
});

describe('orderTotalMismatch', () => {
  const lines: ConfirmedLine[] = [
    { sku: 'A', quantity: 3, unitPrice: '19.99', discount: '5', lineTotal: '54.97' },
    { sku: 'B', quantity: 2, unitPrice: '100.10', discount: '0', lineTotal: '200.20' },
  ];

  it('accepts lines and a total that add up exactly', () => {
    expect(orderTotalMismatch(lines, '255.17')).toBeNull();
    expect(orderTotalMismatch(lines, '255.1700')).toBeNull();
  });

  it('names a total that is not the sum of the lines', () => {
    expect(orderTotalMismatch(lines, '255.18')).toMatch(/order total 255.18 is not the sum of its line totals 255.17/);
  });

  it('names a line whose total is not quantity × unit price − discount', () => {
    const bad = [{ ...lines[0], lineTotal: '59.97' }, lines[1]];
    expect(orderTotalMismatch(bad, '260.17')).toMatch(/line 0 \(A\).*54.97/);
  });

  it('names a discount larger than its line, and a negative total', () => {
    expect(orderTotalMismatch([{ sku: 'C', quantity: 1, unitPrice: '1', discount: '2', lineTotal: '-1' }], '-1')).toMatch(/negative/);
    expect(orderTotalMismatch([{ sku: 'C', quantity: 1, unitPrice: '1', discount: '2', lineTotal: '0' }], '0')).toMatch(/line 0 \(C\).*exceeds/);
  });
});

describe('payments', () => {
  const open = { amount: '100.00', paid: '0', status: 'open' as const };

  it('a partial payment leaves the rest outstanding and the receivable partially paid', () => {
    expect(applyPayment(open, '30.25')).toEqual({ ok: true, paid: '30.25', outstanding: '69.75', status: 'partially_paid' });
  });

  it('paying what is outstanding makes it paid with nothing outstanding', () => {
    const partly = { amount: '100.0000', paid: '30.2500', status: 'partially_paid' as const };
    expect(applyPayment(partly, '69.75')).toEqual({ ok: true, paid: '100.00', outstanding: '0.00', status: 'paid' });
  });

  it('adds amounts exactly (no binary floats)', () => {
    const r = { amount: '0.3', paid: '0.1', status: 'partially_paid' as const };
    expect(applyPayment(r, '0.2')).toMatchObject({ ok: true, paid: '0.30', status: 'paid' });
  });

  it('refuses more than is outstanding, a voided receivable and a non-positive amount', () => {
    expect(applyPayment(open, '100.0001')).toEqual({ ok: false, reason: 'overpayment', outstanding: '100.00' });
    expect(applyPayment({ amount: '10', paid: '10', status: 'paid' }, '0.01')).toMatchObject({ ok: false, reason: 'overpayment' });
    expect(applyPayment({ ...open, status: 'voided' }, '1')).toMatchObject({ ok: false, reason: 'voided' });
    expect(applyPayment(open, '0')).toMatchObject({ ok: false, reason: 'not_positive' });
    expect(applyPayment(open, '-5')).toMatchObject({ ok: false, reason: 'not_positive' });
  });

  it('derives status and outstanding from amount and paid', () => {
    expect(statusFor('10', '0')).toBe('open');
    expect(statusFor('10', '9.9999')).toBe('partially_paid');
    expect(statusFor('10', '10.0000')).toBe('paid');
    expect(statusFor('0', '0')).toBe('paid');
    expect(outstandingOf('255.17', '0.17')).toBe('255.00');
  });
});

describe('cancellationOf', () => {
  it('voids an unpaid receivable crediting nothing', () => {
    expect(cancellationOf({ amount: '50', paid: '0.0000', status: 'open' })).toEqual({ kind: 'void', creditedAmount: '0.00', creditNote: null });
  });

  it('voids a partly or fully paid receivable with a credit note for what was paid', () => {
    expect(cancellationOf({ amount: '50', paid: '20.5000', status: 'partially_paid' })).toEqual({ kind: 'void', creditedAmount: '20.50', creditNote: '20.50' });
    expect(cancellationOf({ amount: '50', paid: '50', status: 'paid' })).toEqual({ kind: 'void', creditedAmount: '50.00', creditNote: '50.00' });
  });

  it('does nothing to a receivable already voided', () => {
    expect(cancellationOf({ amount: '50', paid: '20', status: 'voided' })).toEqual({ kind: 'nothing' });
  });
});

describe('daysOverdue', () => {
  it('counts whole UTC calendar days past the due date', () => {
    expect(daysOverdue('2026-01-31', new Date('2026-01-31T23:59:59Z'))).toBe(0);
    expect(daysOverdue('2026-01-31', new Date('2026-02-01T00:00:00Z'))).toBe(1);
    expect(daysOverdue('2024-02-28', new Date('2024-03-01T12:00:00Z'))).toBe(2);
    expect(daysOverdue('2026-03-01', new Date('2026-02-27T00:00:00Z'))).toBe(-2);
  });

  it('counts business days of the zone: a receivable due March 31 is overdue at midnight in Beijing, 16:00 UTC', () => {
    expect(daysOverdue('2026-03-31', new Date('2026-03-31T15:59:59Z'), 'Asia/Shanghai')).toBe(0);
    expect(daysOverdue('2026-03-31', new Date('2026-03-31T16:00:00Z'), 'Asia/Shanghai')).toBe(1);
    expect(daysOverdue('2026-03-31', new Date('2026-03-31T16:00:00Z'), 'UTC')).toBe(0);
  });
});
