import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@crm/observability';
import type { EntityManager } from 'typeorm';
import type { Audience, Channel } from '../catalogue/catalogue';
import { channelsFor, escalatesAt, mayBeTold, paramsFor, ruleMatches, type RecordAccess, type Recipient, type Rule, type Trigger } from './fanout.domain';
import { FanoutRepository } from './fanout.repository';

/** A user the service has no copy of yet (a rep before their rep.upserted): told in the app, not by email. */
interface Planned {
  rule: Rule;
  audience: Audience;
  recipient: Recipient;
  channels: Channel[];
  settings: { critical: boolean; escalateAfterMinutes: number | null };
}

const unknownUser = (userId: string, access: RecordAccess): Recipient => ({ userId, email: null, roles: [], team: access.team, managerId: null, active: true });

/**
 * Turns a trigger into inbox rows and ledger rows, in the caller's transaction: each rule that matches, each
 * recipient of its audiences who may see the record, each channel the type and the user's preferences allow.
 * The unique keys make a redelivered trigger add nothing. Returns how many notifications were created.
 */
@Injectable()
export class FanoutService {
  private readonly created;

  constructor(
    private readonly repo: FanoutRepository,
    metrics: MetricsRegistry,
  ) {
    this.created = metrics.counter({ name: 'crm_notifications_created_total', help: 'notifications created, by type', labelNames: ['type'] });
  }

  async fanOut(m: EntityManager, trigger: Trigger): Promise<number> {
    const rules = (await this.repo.rulesFor(m, trigger.eventType)).filter((r) => ruleMatches(r, trigger.data));
    if (rules.length === 0) return 0;
    const access = await this.repo.recordAccess(m, trigger.record.kind, trigger.record.id);
    const [owner] = access.ownerId ? await this.repo.recipients(m, [access.ownerId]) : [];
    const ctx = { productTeams: await this.repo.productTeams(m, access.productLines), ownerManagerId: owner?.managerId ?? null };
    const planned: Planned[] = [];
    for (const rule of rules) {
      const settings = await this.repo.typeSettings(m, rule.type);
      for (const audience of rule.audiences) {
        const recipients = (await this.audience(m, audience, trigger, access, owner, ctx)).filter((r) => mayBeTold(audience, r, access, ctx));
        const off = await this.repo.channelsOff(
          m,
          recipients.map((r) => r.userId),
          rule.type,
        );
        for (const recipient of recipients) {
          const channels = channelsFor(rule, settings.critical, off.get(recipient.userId) ?? new Set());
          if (channels.length) planned.push({ rule, audience, recipient, channels, settings });
        }
      }
    }
    // A user's notifications commit in id order (a live stream's cursor is the id): one lock per recipient,
    // taken in one sorted pass so two fan-outs never wait on each other crosswise.
    await this.repo.lockRecipients(m, [...new Set(planned.map((p) => p.recipient.userId))]);
    let created = 0;
    for (const p of planned) {
      if (!(await this.create(m, trigger, access, p))) continue;
      created++;
      this.created.inc({ type: p.rule.type });
    }
    return created;
  }

  /** One inbox row and its ledger rows; false when the row exists already (a redelivery). */
  private async create(m: EntityManager, trigger: Trigger, access: RecordAccess, { rule, audience, recipient, channels, settings }: Planned): Promise<boolean> {
    const id = await this.repo.insertNotification(m, {
      eventId: trigger.eventId,
      recipientId: recipient.userId,
      type: rule.type,
      audience,
      recordKind: trigger.record.kind,
      recordId: trigger.record.id,
      params: paramsFor(audience, trigger, access),
      critical: settings.critical,
      inApp: channels.includes('in_app'),
      createdAt: trigger.occurredAt,
      escalatesAt: escalatesAt(audience, settings.escalateAfterMinutes, trigger.occurredAt),
    });
    if (id === null) return false;
    if (channels.includes('email') && recipient.email) {
      await this.repo.insertDelivery(m, { dedupeKey: `${id}:email`, notificationId: id, channel: 'email', target: recipient.email });
    }
    if (channels.includes('webhook')) {
      for (const endpointId of await this.repo.endpointsFor(m, recipient, rule.type)) {
        // A team's endpoint hears of an event once, however many of its members were told.
        const dedupeKey = `${trigger.eventId}:${rule.type}:webhook:${endpointId}`;
        await this.repo.insertDelivery(m, { dedupeKey, notificationId: id, channel: 'webhook', target: endpointId });
      }
    }
    return true;
  }

  private async audience(
    m: EntityManager,
    audience: Audience,
    trigger: Trigger,
    access: RecordAccess,
    owner: Recipient | undefined,
    ctx: { productTeams: string[]; ownerManagerId: string | null },
  ): Promise<Recipient[]> {
    const byId = async (id: string | null | undefined) => (id ? ((await this.repo.recipients(m, [id]))[0] ?? unknownUser(id, access)) : undefined);
    switch (audience) {
      case 'owner':
        return access.ownerId ? [owner ?? unknownUser(access.ownerId, access)] : [];
      case 'previous_owner':
        return [await byId(trigger.previousOwnerId)].filter((r): r is Recipient => r !== undefined);
      case 'manager':
        if (ctx.ownerManagerId) return this.repo.recipients(m, [ctx.ownerManagerId]);
        return access.team ? this.repo.withRole(m, 'sales_manager', [access.team]) : [];
      case 'finance':
        return this.repo.withRole(m, 'finance');
      case 'product_team':
        return ctx.productTeams.length ? this.repo.withRole(m, 'product_team', ctx.productTeams) : [];
      case 'endpoint_owner': {
        const { ownerUserId, ownerTeam } = trigger.data as { ownerUserId?: string; ownerTeam?: string };
        if (ownerUserId) return [await byId(ownerUserId)].filter((r): r is Recipient => r !== undefined);
        return ownerTeam ? this.repo.withRole(m, 'sales_manager', [ownerTeam]) : [];
      }
    }
  }
}
