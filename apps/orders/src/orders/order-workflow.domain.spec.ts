import { autoConfirms, parseAutoConfirmLimits } from './auto-confirm.domain';
import { canApply, daysLate, IllegalTransitionError, nextStatus, readyToComplete, TRANSITIONS, type OrderAction } from './order-workflow.domain';

describe('order workflow', () => {
  it('walks the happy path from draft to completed', () => {
    const path: OrderAction[] = ['submit', 'confirm', 'allocate', 'startProduction', 'ship', 'deliver', 'complete'];
    let status = nextStatus('submit', 'draft');
    for (const action of path.slice(1)) status = nextStatus(action, status);
    expect(status).toBe('completed');
  });

  it('lets an on-hold order be allocated once stock is found, and a submitted one go back to draft', () => {
    expect(nextStatus('hold', 'confirmed')).toBe('on_hold');
    expect(nextStatus('allocate', 'on_hold')).toBe('allocated');
    expect(nextStatus('reject', 'submitted')).toBe('draft');
  });

  it.each(['shipped', 'delivered', 'completed', 'cancelled'] as const)('refuses to cancel a %s order', (status) => {
    expect(() => nextStatus('cancel', status)).toThrow(IllegalTransitionError);
  });

  it('names what is allowed when refusing', () => {
    expect(() => nextStatus('confirm', 'draft')).toThrow('cannot confirm an order that is draft (allowed from: submitted)');
  });

  it('never leaves a final state', () => {
    for (const action of Object.keys(TRANSITIONS) as OrderAction[]) {
      expect(canApply(action, 'completed')).toBe(false);
      expect(canApply(action, 'cancelled')).toBe(false);
    }
  });

  it('counts whole days late against the promised date', () => {
    expect(daysLate('2026-11-20', '2026-11-27')).toBe(7);
    expect(daysLate('2026-11-27', '2026-11-27')).toBe(0);
    expect(daysLate('2026-12-01', '2026-11-27')).toBe(0);
    expect(daysLate('2024-02-28', '2024-03-01')).toBe(2);
  });

  it('completes only when delivered and paid', () => {
    expect(readyToComplete('delivered', 'paid')).toBe(true);
    expect(readyToComplete('delivered', 'partially_paid')).toBe(false);
    expect(readyToComplete('shipped', 'paid')).toBe(false);
  });
});

describe('auto-confirmation limits', () => {
  const limits = parseAutoConfirmLimits('USD:1000, EUR:900.50');

  it('confirms strictly under the limit of the order currency', () => {
    expect(autoConfirms(limits, 'USD', '999.99')).toBe(true);
    expect(autoConfirms(limits, 'USD', '1000.00')).toBe(false);
    expect(autoConfirms(limits, 'EUR', '900.49')).toBe(true);
    expect(autoConfirms(limits, 'CNY', '1.00')).toBe(false);
  });

  it('sends everything to review when no limit is set', () => {
    expect(autoConfirms(parseAutoConfirmLimits(undefined), 'USD', '0.01')).toBe(false);
  });

  it('refuses a malformed setting at boot', () => {
    expect(() => parseAutoConfirmLimits('USD=1000')).toThrow(/CURRENCY:amount/);
    expect(() => parseAutoConfirmLimits('USD:1e3')).toThrow();
  });
});
