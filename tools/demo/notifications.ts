// Who hears of what beyond the reps: the R&D teams that own each product line's complaints and quality problems,
// a finance clerk for overdue receivables, and the language each rep reads. Fixed ids, so a second run finds
// what the first made (a 409 on an existing row is that).
import { Role } from '@crm/http';
import { etagOf, unwrap, type components } from '@crm/api-client';
import { api, send, sleep, type Actor } from './client';
import { ADMIN, PRODUCT_LINES, type People } from './people';

export const OUTSIDE_SALES = [
  {
    userId: '7a0c1f52-0d1e-4c61-9a53-000000000001',
    name: 'Zhao Gang',
    email: 'zhao.gang@demo.crm.example',
    roles: [Role.ProductTeam],
    team: 'pumps-rd',
    locale: 'zh-CN',
  },
  {
    userId: '7a0c1f52-0d1e-4c61-9a53-000000000002',
    name: 'Emma Brown',
    email: 'emma.brown@demo.crm.example',
    roles: [Role.ProductTeam],
    team: 'valves-rd',
    locale: 'en',
  },
  {
    userId: '7a0c1f52-0d1e-4c61-9a53-000000000003',
    name: 'Li Na',
    email: 'li.na@demo.crm.example',
    roles: [Role.ProductTeam],
    team: 'motors-rd',
    locale: 'zh-CN',
  },
  { userId: '7a0c1f52-0d1e-4c61-9a53-000000000004', name: 'Wu Qian', email: 'wu.qian@demo.crm.example', roles: [Role.Finance], locale: 'zh-CN' },
] as const;

/** Reps with a Latin name read English; the rest Chinese. All work in Beijing time. */
const readsEnglish = (name: string) => /^[A-Za-z]+ [A-Za-z]+$/.test(name) && !/^(Wang|Zhou|Chen|Huang|Lin|Zhang|Sun|Ma|Liu) /.test(name);

export async function ensureNotificationSetup(people: People): Promise<{ routes: number; people: number; english: number }> {
  const admin = api(ADMIN);
  for (const productLine of PRODUCT_LINES)
    await unwrap(admin.PUT('/api/v1/product-routes/{productLine}', { params: { path: { productLine } }, body: { team: `${productLine}-rd` } }));
  for (const { userId, ...person } of OUTSIDE_SALES)
    await send(
      () =>
        admin.PUT('/api/v1/recipients/{userId}', {
          params: { path: { userId } },
          body: { ...person, roles: [...person.roles], timeZone: 'Asia/Shanghai', active: true },
        }),
      { expect: [200, 201, 409] },
    );
  const english = [...people.reps, ...people.managers].filter((r) => readsEnglish(r.name));
  for (const rep of [...people.reps, ...people.managers]) {
    const locale = english.includes(rep) ? 'en' : 'zh-CN';
    await setOwnSettings(rep.actor, { locale, timeZone: 'Asia/Shanghai', quietHours: { start: '22:00', end: '07:30' }, digestAt: null });
  }
  return { routes: PRODUCT_LINES.length, people: OUTSIDE_SALES.length, english: english.length };
}

/**
 * Read, then write with the ETag. The row can change in between: the rep's copy arriving from leads (on a first
 * start the notifications service reads the reps' whole history), so a refused write reads again, a few times.
 */
async function setOwnSettings(actor: Actor, settings: components['schemas']['PutNotificationSettingsDto']): Promise<void> {
  const own = api(actor);
  for (let attempt = 1; attempt <= 10; attempt++) {
    const current = await send(() => own.GET('/api/v1/notification-settings'));
    // No ETag yet (no row: the defaults): the first write goes without If-Match.
    const reply = await send(() => own.PUT('/api/v1/notification-settings', { params: { header: { 'If-Match': etagOf(current) } }, body: settings }), {
      expect: [200, 201, 409, 412],
    });
    if (reply.response.ok) return;
    await sleep(300);
  }
  throw new Error(`demo: the notification settings of ${actor.sub} kept changing under ten writes`);
}
