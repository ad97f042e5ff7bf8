import { AlreadyApplied, decideReceipt, duplicateOf } from './webhook-receipt.domain';

describe('decideReceipt', () => {
  it('lets the first delivery of an ERP event id through and stops a repeat', () => {
    expect(() => decideReceipt('erp-pay-1', true)).not.toThrow();
    expect(() => decideReceipt('erp-pay-1', false)).toThrow(AlreadyApplied);
    expect(duplicateOf('erp-pay-1')).toEqual({ eventId: 'erp-pay-1', duplicate: true });
  });
});
