import { leadChanges } from './lead-audit';

describe("a lead's audited changes", () => {
  it("records a conversion's terms in the clear and its product needs, the person's words, as personal", () => {
    const before = { status: 'qualified', conversion: null };
    const after = { status: 'converted', conversion: { expectedAmount: '100.00', currency: 'USD', productNeeds: ['Li needs pumps'] } };
    const changes = leadChanges(before, after);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'conversion', personal: false, new: { expectedAmount: '100.00', currency: 'USD' } }),
        expect.objectContaining({ field: 'productNeeds', personal: true, new: ['Li needs pumps'] }),
      ]),
    );
  });
});
