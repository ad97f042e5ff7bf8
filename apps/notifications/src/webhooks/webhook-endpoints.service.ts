import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { DomainError } from '@crm/domain';
import type { AuthUser, Page } from '@crm/http';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { endpointChanges } from '../audit/notifications-audit';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { checkReplay } from './webhook-delivery.domain';
import {
  decideCreate,
  decideEdit,
  decideEnable,
  decideRotate,
  mayManage,
  newSecret,
  SECRET_BYTES,
  toView,
  type EndpointInput,
  type EndpointState,
  type EndpointView,
  type EndpointEdit,
} from './webhook-endpoint.domain';
import { WebhookEndpointsRepository, type DeliveryView } from './webhook-endpoints.repository';

export const WEBHOOKS_PRODUCTION = Symbol('WEBHOOKS_PRODUCTION');

const notFound = (id: string) => DomainError.notFound('webhook endpoint', id);

/** The endpoints API: create, read, edit, delete, rotate the secret, re-enable, and the endpoint's deliveries. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsRepository,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    @Inject(WEBHOOKS_PRODUCTION) private readonly production: boolean,
    private readonly audit: AuditTrail,
  ) {}

  /** The secret is in this answer and the rotation's, never in a read. */
  create(user: AuthUser, input: EndpointInput): Promise<EndpointView & { secret: string }> {
    return inTransaction(this.dataSource, async (m) => {
      const now = new Date();
      const secret = newSecret(randomBytes(SECRET_BYTES));
      const endpoint = decideCreate(input, user, { id: randomUUID(), secret, now, production: this.production });
      await this.endpoints.insert(m, endpoint);
      await this.recordEndpoint(m, 'created', undefined, endpoint);
      return { ...toView(endpoint, now), secret };
    });
  }

  async list(user: AuthUser, q: { limit: number; cursor?: string }): Promise<Page<EndpointView>> {
    const page = await this.endpoints.list(user, q);
    const now = new Date();
    return { items: page.items.map((e) => toView(e, now)), nextCursor: page.nextCursor };
  }

  async get(user: AuthUser, id: string): Promise<EndpointView> {
    return toView(await this.visible(user, id), new Date());
  }

  update(user: AuthUser, id: string, edit: EndpointEdit, expectedVersion: number): Promise<EndpointView> {
    return this.change('updated', user, id, expectedVersion, (e, now) => decideEdit(e, edit, { now, production: this.production }));
  }

  async rotateSecret(user: AuthUser, id: string): Promise<EndpointView & { secret: string }> {
    const secret = newSecret(randomBytes(SECRET_BYTES));
    // The trail says the secret changed, never what it is.
    const view = await this.change('secret_rotated', user, id, undefined, (e, now) =>
      decideRotate(e, secret, { now, overlapHours: this.settings.webhookSecretOverlapHours }),
    );
    return { ...view, secret };
  }

  enable(user: AuthUser, id: string): Promise<EndpointView> {
    return this.change('enabled', user, id, undefined, (e, now) => decideEnable(e, now));
  }

  /** Its messages not yet under way are cancelled with it; the ledger keeps their rows. */
  delete(user: AuthUser, id: string): Promise<void> {
    return inTransaction(this.dataSource, async (m) => {
      const endpoint = await this.lockVisible(m, user, id);
      if (!endpoint) throw notFound(id);
      await this.endpoints.cancelPending(m, id, 'endpoint deleted');
      await this.endpoints.delete(m, id);
      await this.recordEndpoint(m, 'deleted', endpoint, undefined);
    });
  }

  async deliveries(user: AuthUser, id: string, q: { limit: number; cursor?: string }): Promise<Page<DeliveryView>> {
    await this.visible(user, id);
    return this.endpoints.deliveries(id, q);
  }

  /** A dead or cancelled message goes out again from its first attempt, under the same webhook-id. */
  replay(user: AuthUser, deliveryId: string): Promise<DeliveryView> {
    return inTransaction(this.dataSource, async (m) => {
      const delivery = await this.endpoints.lockDelivery(m, deliveryId);
      const endpoint = delivery && (await this.endpoints.lock(m, delivery.target));
      if (!delivery || !endpoint || !mayManage(user, endpoint)) throw DomainError.notFound('webhook delivery', deliveryId);
      checkReplay(delivery.status, endpoint.enabled);
      const replayed = await this.endpoints.replay(m, deliveryId);
      const changes = [{ field: 'status', old: delivery.status, new: 'pending', personal: false }];
      await this.audit.record(m, { recordType: 'webhook_delivery', recordId: deliveryId, action: 'replayed', changes });
      return replayed;
    });
  }

  private async visible(user: AuthUser, id: string): Promise<EndpointState> {
    const endpoint = await this.endpoints.find(id);
    if (!endpoint || !mayManage(user, endpoint)) throw notFound(id);
    return endpoint;
  }

  private async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<EndpointState | undefined> {
    const endpoint = await this.endpoints.lock(m, id);
    return endpoint && mayManage(user, endpoint) ? endpoint : undefined;
  }

  private recordEndpoint(m: EntityManager, action: string, before: EndpointState | undefined, after: EndpointState | undefined) {
    return this.audit.record(m, { recordType: 'webhook_endpoint', recordId: (after ?? before)!.id, action, changes: endpointChanges(before, after) });
  }

  /** Load locked and visible, check the version, decide, save: one transaction. */
  private change(action: string, user: AuthUser, id: string, expectedVersion: number | undefined, decide: (e: EndpointState, now: Date) => EndpointState) {
    const now = new Date();
    return inTransaction(this.dataSource, (m) =>
      loadDecideSave(m, {
        load: (tx) => this.lockVisible(tx, user, id),
        notFound: () => notFound(id),
        expectedVersion,
        decide: (current) => ({ changes: decide(current, now), events: [] }),
        save: async (tx, current, next) => {
          await this.endpoints.save(tx, next);
          await this.recordEndpoint(tx, action, current, next);
          return toView(next, now);
        },
      }),
    );
  }
}
