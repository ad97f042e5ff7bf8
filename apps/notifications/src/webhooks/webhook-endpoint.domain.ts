// Webhook endpoint decisions as pure functions: who may own and see one, which URLs are accepted, and how the
// signing secrets are created and rotated.
import { DomainError } from '@crm/domain';
import { Role, type AuthUser } from '@crm/http';
import type { NotificationType } from '../catalogue/catalogue';

export const WEBHOOK_FORMATS = ['standard', 'wecom', 'dingtalk', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The Standard Webhooks secret prefix; what follows is base64 of the key. */
export const SECRET_PREFIX = 'whsec_';
export const SECRET_BYTES = 24;

/** One signing secret; the primary has no end, one a rotation replaced ends `expiresAt`. */
export interface StoredSecret {
  secret: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface EndpointState {
  id: string;
  ownerUserId: string | null;
  ownerTeam: string | null;
  url: string;
  format: WebhookFormat;
  description: string | null;
  types: NotificationType[];
  secrets: StoredSecret[];
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface EndpointInput {
  url: string;
  format?: WebhookFormat;
  types?: NotificationType[];
  description?: string;
  ownerTeam?: string;
}

export type EndpointEdit = Partial<Pick<EndpointInput, 'url' | 'format' | 'types' | 'description'>>;

/** What reads show: never a secret, only when the replaced ones stop signing. */
export type EndpointView = Omit<EndpointState, 'secrets'> & { previousSecretsExpireAt: string | null };

export const newSecret = (randomBytes: Buffer): string => `${SECRET_PREFIX}${randomBytes.toString('base64')}`;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * https:// anywhere; http:// only to this machine and only outside production, for local receivers. In
 * production a loopback host is refused whatever the scheme: the service must not post to itself.
 */
export function checkUrl(raw: string, production: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw DomainError.invalidInput('url', 'isWebhookUrl', 'url must be an absolute URL');
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
  if (url.username || url.password) throw DomainError.invalidInput('url', 'isWebhookUrl', 'url must not carry credentials');
  if (url.protocol === 'https:' && !(production && loopback)) return url.toString();
  if (url.protocol === 'http:' && loopback && !production) return url.toString();
  const message = production ? 'url must be an https:// URL' : 'url must be an https:// URL, or http:// to 127.0.0.1 or localhost';
  throw DomainError.invalidInput('url', 'isWebhookUrl', message);
}

const isAdmin = (user: AuthUser) => user.roles.includes(Role.Admin);
const managesTeam = (user: AuthUser, team: string) => user.roles.includes(Role.SalesManager) && user.team === team;

/** The caller's own endpoint, or a team's for that team's manager or an admin. */
export function decideOwner(user: AuthUser, ownerTeam: string | null | undefined): { ownerUserId: string | null; ownerTeam: string | null } {
  if (ownerTeam === undefined || ownerTeam === null) return { ownerUserId: user.sub, ownerTeam: null };
  if (isAdmin(user) || managesTeam(user, ownerTeam)) return { ownerUserId: null, ownerTeam };
  throw DomainError.forbidden('Only an admin or a sales manager of that team may own a team endpoint.', 'TEAM_ENDPOINT_FORBIDDEN');
}

/** Whether the caller may see and change the endpoint; anyone else gets a 404, as if it did not exist. */
export const mayManage = (user: AuthUser, e: Pick<EndpointState, 'ownerUserId' | 'ownerTeam'>): boolean =>
  isAdmin(user) || e.ownerUserId === user.sub || (e.ownerTeam !== null && managesTeam(user, e.ownerTeam));

const unique = <T>(xs: T[]) => [...new Set(xs)];

export function decideCreate(input: EndpointInput, user: AuthUser, ctx: { id: string; secret: string; now: Date; production: boolean }): EndpointState {
  return {
    id: ctx.id,
    ...decideOwner(user, input.ownerTeam),
    url: checkUrl(input.url, ctx.production),
    format: input.format ?? 'standard',
    description: input.description?.trim() || null,
    types: unique(input.types ?? []),
    secrets: [{ secret: ctx.secret, createdAt: ctx.now.toISOString(), expiresAt: null }],
    enabled: true,
    disabledAt: null,
    disabledReason: null,
    consecutiveFailures: 0,
    createdBy: user.sub,
    version: 1,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

/** Fields left out keep their value; an empty description clears it. */
export function decideEdit(current: EndpointState, edit: EndpointEdit, ctx: { now: Date; production: boolean }): EndpointState {
  return {
    ...current,
    url: edit.url === undefined ? current.url : checkUrl(edit.url, ctx.production),
    format: edit.format ?? current.format,
    types: edit.types === undefined ? current.types : unique(edit.types),
    description: edit.description === undefined ? current.description : edit.description.trim() || null,
    version: current.version + 1,
    updatedAt: ctx.now,
  };
}

/** The secrets still signing at `now`, the primary (newest) first. */
export function validSecrets(secrets: StoredSecret[], now: Date): string[] {
  return secrets
    .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime())
    .sort((a, b) => Number(b.expiresAt === null) - Number(a.expiresAt === null) || Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .map((s) => s.secret);
}

/**
 * The new secret becomes primary; the current primary keeps signing for `overlapHours` (a secret that already
 * had an end keeps it), and secrets past their end are dropped.
 */
export function decideRotate(current: EndpointState, secret: string, ctx: { now: Date; overlapHours: number }): EndpointState {
  const until = new Date(ctx.now.getTime() + ctx.overlapHours * 3_600_000).toISOString();
  const kept = current.secrets.map((s) => ({ ...s, expiresAt: s.expiresAt ?? until })).filter((s) => Date.parse(s.expiresAt) > ctx.now.getTime());
  return {
    ...current,
    secrets: [{ secret, createdAt: ctx.now.toISOString(), expiresAt: null }, ...kept],
    version: current.version + 1,
    updatedAt: ctx.now,
  };
}

/** Back on, with a clean failure count. */
export function decideEnable(current: EndpointState, now: Date): EndpointState {
  return { ...current, enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, version: current.version + 1, updatedAt: now };
}

export function toView({ secrets, ...rest }: EndpointState, now: Date): EndpointView {
  const ends = secrets.map((s) => s.expiresAt).filter((e): e is string => e !== null && Date.parse(e) > now.getTime());
  return { ...rest, previousSecretsExpireAt: ends.sort().at(-1) ?? null };
}
