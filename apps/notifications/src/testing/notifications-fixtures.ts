import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import type { RecordKind } from '../catalogue/catalogue';
import type { Trigger } from '../fanout/fanout.domain';
import { FanoutService } from '../fanout/fanout.service';
import { notificationsSettings } from '../notifications.settings';

export const admin = { sub: randomUUID(), roles: [Role.Admin] };
export const repOf = (team: string) => ({ sub: randomUUID(), roles: [Role.SalesRep], team });
export const managerOf = (team: string) => ({ sub: randomUUID(), roles: [Role.SalesManager], team });
export type Claims = { sub: string; roles: Role[]; team?: string };

export const startNotifications = (env: Record<string, string> = {}) =>
  startTestService('notifications', (config) => AppModule.forRoot(config), { settings: notificationsSettings, env });

/** A recipient row as an admin or rep.upserted would leave it. */
export async function addRecipient(
  svc: TestService,
  r: { userId: string; email?: string; roles?: string[]; team?: string; managerId?: string; locale?: 'zh-CN' | 'en'; timeZone?: string },
): Promise<void> {
  await svc.dataSource.query(
    `INSERT INTO recipients (user_id, email, roles, team, manager_id, locale, time_zone, source) VALUES ($1, $2, $3, $4, $5, $6, $7, 'admin')
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, roles = EXCLUDED.roles, team = EXCLUDED.team, manager_id = EXCLUDED.manager_id,
       locale = EXCLUDED.locale, time_zone = EXCLUDED.time_zone`,
    [r.userId, r.email ?? null, r.roles ?? [], r.team ?? null, r.managerId ?? null, r.locale ?? 'zh-CN', r.timeZone ?? null],
  );
}

/** Who owns a record, as the record copies would say. */
export async function setRecordOwner(
  svc: TestService,
  kind: RecordKind,
  id: string,
  ownerId: string,
  extra: { team?: string; label?: string; productLines?: string[] } = {},
) {
  await svc.dataSource.query(
    `INSERT INTO record_access (record_kind, record_id, owner_id, team, label, product_lines) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (record_kind, record_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, team = EXCLUDED.team, label = EXCLUDED.label, product_lines = EXCLUDED.product_lines`,
    [kind, id, ownerId, extra.team ?? null, extra.label ?? null, extra.productLines ?? []],
  );
}

/** Runs one trigger through the fan-out in its own transaction, as a consumer would. */
export function fanOut(svc: TestService, trigger: Partial<Trigger> & Pick<Trigger, 'eventType' | 'record' | 'data'>): Promise<number> {
  const fanout = svc.app.get(FanoutService);
  return svc.dataSource.transaction((m) => fanout.fanOut(m, { eventId: randomUUID(), occurredAt: new Date(), ...trigger }));
}

/** A lead assigned to `userId` through the real fan-out; resolves once committed. */
export async function assignLead(svc: TestService, userId: string, label = `Lead ${randomUUID().slice(0, 8)}`): Promise<string> {
  const leadId = randomUUID();
  await setRecordOwner(svc, 'lead', leadId, userId, { label });
  await fanOut(svc, { eventType: 'lead.assigned', record: { kind: 'lead', id: leadId }, data: { leadId, firstFollowUpDueAt: '2026-12-01T02:00:00Z' } });
  return leadId;
}
