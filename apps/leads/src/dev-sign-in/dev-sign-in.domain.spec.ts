import { Role } from '@crm/http';
import { identitiesOf, LOCAL_ADMIN_ID, type Person } from './dev-sign-in.domain';

const person = (id: string, over: Partial<Person> = {}): Person => ({
  id,
  name: id,
  email: `${id}@crm.example`,
  team: 'east',
  managerId: null,
  capacity: 10,
  active: true,
  ...over,
});

describe('the people a developer may sign in as', () => {
  it('offers active reps, proposes manager for whoever manages others or takes no leads, and lists managers first and the admin last', () => {
    const list = identitiesOf([
      person('zoe', { managerId: 'mia' }),
      person('mia', { capacity: 5 }),
      person('abe', { team: 'south', capacity: 0 }),
      person('gone', { active: false }),
    ]);
    expect(list.map((i) => [i.id, i.suggestedRole])).toEqual([
      ['mia', Role.SalesManager],
      ['abe', Role.SalesManager],
      ['zoe', Role.SalesRep],
      [LOCAL_ADMIN_ID, Role.Admin],
    ]);
  });
});
