import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import type { AuthUser } from '@crm/http';
import {
  assertMayDelete,
  decideCreateView,
  mayRead,
  nameTaken,
  type NewSavedViewInput,
  type SavedViewList,
  type SavedViewRow,
  type Viewer,
} from './saved-view.domain';
import type { SavedViewEntity } from './saved-view.entity';
import { SavedViewsRepository } from './saved-views.repository';

const viewerOf = (user: AuthUser): Viewer => ({ sub: user.sub, team: user.team ?? null });

/** Each user's saved views of the lists, and their team's shared ones. */
@Injectable()
export class SavedViewsService {
  constructor(private readonly views: SavedViewsRepository) {}

  list(user: AuthUser, list: SavedViewList): Promise<SavedViewEntity[]> {
    return this.views.visible(viewerOf(user), list);
  }

  async get(user: AuthUser, id: string): Promise<SavedViewEntity> {
    const view = await this.views.find(id);
    if (!view || !mayRead(viewerOf(user), view)) throw DomainError.notFound('saved view', id);
    return view;
  }

  async create(user: AuthUser, input: NewSavedViewInput): Promise<SavedViewEntity> {
    const row = decideCreateView(viewerOf(user), randomUUID(), input, new Date());
    const saved = await this.views.insert(row);
    if (!saved) throw nameTaken(row.name);
    return saved;
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    const view = await this.views.find(id);
    if (!view) throw DomainError.notFound('saved view', id);
    assertMayDelete(viewerOf(user), view as SavedViewRow);
    await this.views.remove(id);
  }
}
