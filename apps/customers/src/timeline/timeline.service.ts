import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import type { AuthUser, Page } from '@crm/http';
import { AccountsRepository } from '../accounts/accounts.repository';
import { ContactsRepository } from '../contacts/contacts.repository';
import { customerSummary, type Owner } from './summary.domain';
import { recordLink } from './timeline.domain';
import type { TimelineEntryEntity } from './timeline-entry.entity';
import type { TimelineQuery } from './timeline.dto';
import { TimelineRepository, type Subject } from './timeline.repository';

/** An account's or contact's timeline and summary, for a caller who may open that account or contact. */
@Injectable()
export class TimelineService {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly accounts: AccountsRepository,
    private readonly contacts: ContactsRepository,
  ) {}

  async entries(user: AuthUser, subject: Subject, id: string, query: TimelineQuery): Promise<Page<TimelineEntryEntity & { link: string }>> {
    await this.owner(user, subject, id);
    const page = await this.timeline.page(user, subject, id, query);
    return { ...page, items: page.items.map((e) => ({ ...e, link: recordLink(e.recordKind, e.recordId) })) };
  }

  async summary(user: AuthUser, subject: Subject, id: string) {
    const owner = await this.owner(user, subject, id);
    return customerSummary(id, owner, await this.timeline.summary(subject, id));
  }

  /** 404 for a record the caller may not open (`restrictToVisible`), as on `GET /accounts/:id`. */
  private async owner(user: AuthUser, subject: Subject, id: string): Promise<Owner> {
    const found = subject === 'account' ? await this.accounts.get(user, id) : await this.contacts.details(user, id);
    if (!found) throw DomainError.notFound(subject, id);
    return found;
  }
}
