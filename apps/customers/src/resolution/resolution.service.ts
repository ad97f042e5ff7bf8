import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventOf } from '@crm/contracts';
import { appendToOutbox } from '@crm/messaging';
import { decideCreateAccount } from '../accounts/account.domain';
import { AccountsRepository } from '../accounts/accounts.repository';
import { decideCreateContact, decideEditContact } from '../contacts/contact.domain';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { Ownership } from '../ownership.domain';
import {
  decideResolution,
  inJourney,
  leadResolvedEvent,
  resolutionKeys,
  resolutionLockKeys,
  type AccountChoice,
  type ResolutionKeys,
} from './resolution.domain';
import { ResolutionRepository } from './resolution.repository';

type Conversion = EventOf<'lead.converted'>;

/**
 * A converted lead becomes an account and a contact, found or created, exactly once per lead: the resolution
 * is stored by lead id in the same transaction as the inbox claim, under advisory locks on the lead and on
 * every key it matches by, so neither a redelivery nor a concurrent conversion of the same person creates twice.
 * No duplicate rule refuses here: a conversion is never blocked, it reuses an exact match instead.
 */
@Injectable()
export class ResolutionService {
  private readonly logger = new Logger(ResolutionService.name);

  constructor(
    private readonly resolutions: ResolutionRepository,
    private readonly accounts: AccountsRepository,
    private readonly contacts: ContactsRepository,
  ) {}

  async resolveLead(m: EntityManager, event: Conversion): Promise<void> {
    const { data } = event;
    const keys = resolutionKeys(data.customer);
    await this.resolutions.lock(m, resolutionLockKeys(data.leadId, keys));
    if (await this.resolutions.find(m, data.leadId)) {
      this.logger.log(`lead ${data.leadId} is resolved already (event ${event.id}): nothing to do`);
      return;
    }
    const choice = decideResolution(keys, await this.resolutions.candidates(m, keys));
    const now = new Date();
    // What the resolution creates belongs to the lead's rep and team, as if they had typed it in.
    const owner: Ownership = { ownerRepId: data.repId, team: data.team ?? null };
    const events: EventEnvelope[] = [];
    const accountId = await this.account(m, choice.account, data, keys, owner, now, events);
    const contactId = await this.contact(m, choice.contact, data, keys, accountId, owner, now, events);
    const resolvedAt = data.historical ? data.convertedAt : now.toISOString();
    const resolution = {
      leadId: data.leadId,
      contactId,
      accountId,
      contactCreated: choice.contact.kind === 'create',
      accountCreated: choice.account.kind === 'create',
      resolvedAt,
    };
    await this.resolutions.insert(m, { ...resolution, resolvedAt: new Date(resolvedAt) }, event.id);
    await appendToOutbox(m, [...inJourney(events, event), leadResolvedEvent(resolution, event)]);
  }

  private async account(
    m: EntityManager,
    choice: AccountChoice,
    data: Conversion['data'],
    keys: ResolutionKeys,
    owner: Ownership,
    now: Date,
    events: EventEnvelope[],
  ): Promise<string | null> {
    if (choice.kind === 'reuse') return choice.id;
    if (choice.kind === 'none') return null;
    // The email's company domain goes with the new account, so the next lead from that company finds it.
    const created = decideCreateAccount({ name: data.customer.company!, domains: keys.domain ? [keys.domain] : [] }, owner, {
      id: randomUUID(),
      by: 'system',
      now,
    });
    await this.accounts.insert(m, created.changes, 'system');
    events.push(...created.events);
    return created.changes.id;
  }

  private async contact(
    m: EntityManager,
    choice: ReturnType<typeof decideResolution>['contact'],
    data: Conversion['data'],
    keys: ResolutionKeys,
    accountId: string | null,
    owner: Ownership,
    now: Date,
    events: EventEnvelope[],
  ): Promise<string> {
    const known = new Map((await this.accounts.names(m, accountId ? [accountId] : [])).map((a) => [a.id, a.name]));
    if (choice.kind === 'create') {
      const { name, email, phone } = data.customer;
      const input = { name, emails: email ? [email.trim()] : [], phones: phone && keys.phone ? [phone.trim()] : [], accountIds: accountId ? [accountId] : [] };
      const created = decideCreateContact(input, owner, known, { id: randomUUID(), by: 'system', now });
      await this.contacts.insert(m, created.changes, 'system', now);
      events.push(...created.events);
      return created.changes.id;
    }
    if (choice.joinAccount && accountId) {
      const current = await this.resolutions.lockContact(m, choice.id);
      // Someone may have given the person an account since the match; then that one stands.
      if (current.accountIds.length) return choice.id;
      const joined = decideEditContact(current, { accountIds: [accountId] }, { ownerRepId: current.ownerRepId, team: current.team }, known, {
        by: 'system',
        now,
      });
      await this.contacts.update(m, joined.changes, now);
      events.push(...joined.events);
    }
    return choice.id;
  }
}
