import { ERASED } from '@crm/privacy';
import { decideErasure } from './personal-data.domain';

describe('personal data of orders', () => {
  it("scrubs the person, keeps the company, and forgets their values and feedback's words", () => {
    const e = decideErasure([
      { id: 'a', customer: { name: 'Li Wei', company: 'Acme', email: 'Li@X.example', phone: '+86 1' }, comments: ['box was dented'] },
      { id: 'b', customer: { name: ERASED }, comments: [] },
    ]);
    expect(e.customers).toEqual([
      { id: 'a', customer: { name: ERASED, company: 'Acme' } },
      { id: 'b', customer: { name: ERASED } },
    ]);
    expect(e.values.sort()).toEqual(['+86 1', 'Li Wei', 'Li@X.example', 'box was dented', 'li@x.example'].sort());
  });
});
