// The sales organisation: three regional teams, each a manager and 3-4 reps, and the assignment rules that
// route leads to them. Reps are found by e-mail, rules by name, so a second run reuses what the first made.
import { Role } from '@crm/http';
import { LOCAL_ADMIN_ID } from '../token';
import { ifMatch, unwrap, type components } from '@crm/api-client';
import { api, type Actor } from './client';

export const ADMIN: Actor = { sub: LOCAL_ADMIN_ID, roles: [Role.Admin] };
/** Systems that post leads and tracking (call centre, social listening, carriers): the integration role. */
export const integration = (name: string): Actor => ({ sub: `demo-${name}`, roles: [Role.Integration] });

export const PRODUCT_LINES = ['pumps', 'valves', 'motors'] as const;
export type ProductLine = (typeof PRODUCT_LINES)[number];

interface PersonPlan {
  name: string;
  email: string;
  productLines: ProductLine[];
  capacity: number;
}

interface TeamPlan {
  team: string;
  region: string;
  city: string;
  manager: PersonPlan;
  reps: PersonPlan[];
}

const DOMAIN = 'demo.crm.example';
const person = (name: string, productLines: ProductLine[], capacity = 60): PersonPlan => ({
  name,
  email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${DOMAIN}`,
  productLines,
  capacity,
});

// Managers are reps too (JWT sub = rep id) but take no leads themselves: capacity 0.
export const TEAMS: TeamPlan[] = [
  {
    team: 'east',
    region: 'east',
    city: 'Shanghai',
    manager: person('Chen Jing', [...PRODUCT_LINES], 0),
    reps: [
      person('Wang Fang', ['pumps', 'valves']),
      person('Oliver Schmidt', ['motors', 'pumps']),
      person('Zhou Min', ['valves']),
      person('Priya Nair', ['pumps', 'motors']),
    ],
  },
  {
    team: 'south',
    region: 'south',
    city: 'Guangzhou',
    manager: person('Huang Wei', [...PRODUCT_LINES], 0),
    reps: [person('Lin Xiaoyu', ['pumps']), person('Carlos Mendes', ['valves', 'motors']), person('Zhang Lei', ['motors'])],
  },
  {
    team: 'north',
    region: 'north',
    city: 'Beijing',
    manager: person('Liu Yang', [...PRODUCT_LINES], 0),
    reps: [
      person('Sun Hao', ['pumps', 'valves']),
      person('Anna Kowalski', ['motors']),
      person('Ma Lin', ['valves', 'pumps']),
      person('James Carter', ['pumps', 'motors']),
    ],
  },
];

export interface Rep {
  id: string;
  name: string;
  email: string;
  team: string;
  region: string;
  productLines: ProductLine[];
  manager: boolean;
  actor: Actor;
}

export interface People {
  reps: Rep[];
  managers: Rep[];
  byId: Map<string, Rep>;
  managerOf(team: string | null | undefined): Actor;
  created: number;
}

const repActor = (id: string, team: string, manager: boolean): Actor => ({ sub: id, roles: [manager ? Role.SalesManager : Role.SalesRep], team });

export async function ensurePeople(): Promise<People> {
  const admin = api(ADMIN);
  const existing = new Map((await unwrap(admin.GET('/api/v1/reps'))).items.map((r) => [r.email, r]));
  let created = 0;
  const ensure = async (plan: PersonPlan, team: TeamPlan, managerId?: string): Promise<Rep> => {
    let id = existing.get(plan.email)?.id;
    if (!id) {
      const body = {
        name: plan.name,
        email: plan.email,
        team: team.team,
        regions: [team.region],
        productLines: plan.productLines,
        capacity: plan.capacity,
        ...(managerId && { managerId }),
      };
      id = (await unwrap(admin.POST('/api/v1/reps', { body }))).id;
      created++;
    }
    return {
      id,
      name: plan.name,
      email: plan.email,
      team: team.team,
      region: team.region,
      productLines: plan.productLines,
      manager: !managerId,
      actor: repActor(id, team.team, !managerId),
    };
  };
  const reps: Rep[] = [];
  const managers: Rep[] = [];
  for (const team of TEAMS) {
    const manager = await ensure(team.manager, team);
    managers.push(manager);
    for (const plan of team.reps) reps.push(await ensure(plan, team, manager.id));
  }
  if (created) await sendOneRepOnLeave(reps);
  const byId = new Map([...reps, ...managers].map((r) => [r.id, r]));
  return {
    reps,
    managers,
    byId,
    created,
    managerOf: (team) => managers.find((m) => m.team === team)?.actor ?? ADMIN,
  };
}

/**
 * One rep goes on leave and comes back, through PATCH with If-Match: the rep directory shows the change
 * history (version 3) and no lead is lost to an absent rep.
 */
async function sendOneRepOnLeave(reps: Rep[]) {
  const rep = reps.find((r) => r.name === 'Zhang Lei')!;
  const admin = api(ADMIN);
  const path = { id: rep.id };
  const current = await admin.GET('/api/v1/reps/{id}', { params: { path } });
  await unwrap(current);
  const away = await admin.PATCH('/api/v1/reps/{id}', { params: { path, header: ifMatch(current) }, body: { away: true } });
  await unwrap(away);
  await unwrap(admin.PATCH('/api/v1/reps/{id}', { params: { path, header: ifMatch(away) }, body: { away: false } }));
}

/** Ordered rules: a named rep for big east accounts, a motors pool for fair leads, one per region, a catch-all. */
export async function ensureRules(people: People): Promise<number> {
  const repNamed = (name: string) => people.reps.find((r) => r.name === name)!.id;
  const rules: components['schemas']['CreateRuleDto'][] = [
    {
      name: 'East key accounts',
      position: 10,
      match: { regions: ['east'], companySizes: ['large', 'enterprise'] },
      target: { kind: 'rep', repId: repNamed('Wang Fang') },
      followUpHours: 24,
    },
    {
      name: 'Trade-show motors specialists',
      position: 20,
      match: { sources: ['trade_show'], productLines: ['motors'] },
      target: { kind: 'pool', repIds: ['Oliver Schmidt', 'Zhang Lei', 'Anna Kowalski'].map(repNamed) },
      followUpHours: 48,
    },
    ...TEAMS.map((t, i) => ({
      name: `Region ${t.region}`,
      position: 30 + i * 10,
      match: { regions: [t.region] },
      target: { kind: 'team' as const, team: t.team },
      followUpHours: 72,
    })),
    { name: 'Catch-all (other regions)', position: 1000, match: {}, target: { kind: 'pool', repIds: people.reps.map((r) => r.id) }, followUpHours: 96 },
  ];
  const admin = api(ADMIN);
  const existing = new Set((await unwrap(admin.GET('/api/v1/assignment-rules'))).items.map((r) => r.name));
  let created = 0;
  for (const rule of rules.filter((r) => !existing.has(r.name))) {
    await unwrap(admin.POST('/api/v1/assignment-rules', { body: rule }));
    created++;
  }
  return created;
}
