import { ERASED } from '@crm/privacy';
import { decideErasure } from './personal-data.domain';

describe('personal data of opportunities', () => {
  it('scrubs the person and keeps the company; an e-mail account key becomes one anonymous key', () => {
    let n = 0;
    const e = decideErasure(
      [
        { id: 'a', customer: { name: 'Li Wei', company: 'Acme', email: 'Li@X.example', phone: '+86 1' }, accountKey: 'company:acme' },
        { id: 'b', customer: { name: ERASED }, accountKey: 'email:li@x.example' },
      ],
      ['email:li@x.example', 'email:other@y.example'],
      () => String(++n),
    );
    expect(e.customers).toEqual([
      { id: 'a', customer: { name: ERASED, company: 'Acme' } },
      { id: 'b', customer: { name: ERASED } },
    ]);
    expect(e.accountKeys).toEqual([
      { from: 'email:li@x.example', to: 'erased:1' },
      { from: 'email:other@y.example', to: 'erased:2' },
    ]);
    expect(e.values.sort()).toEqual(['+86 1', 'Li Wei', 'Li@X.example', 'li@x.example', 'other@y.example'].sort());
  });
});
