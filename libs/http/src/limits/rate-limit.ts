import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { API_CONVENTIONS_OPTIONS, type ApiConventionsOptions } from '../api-conventions.options';
import { ProblemException } from '../problem/problem.exception';

export interface RateLimitOptions {
  /** Requests per client per window; 0 turns rate limiting off (benchmarks). */
  limit: number;
  windowMs: number;
}

/** 6,000 a minute (100/s sustained) per client: far above a person or an integration, well below a flood. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 6_000, windowMs: 60_000 };

/** Probes, scrapes and the docs must keep answering while a client is being throttled. */
export const RATE_LIMIT_EXEMPT_PATHS = /^\/(health(\/|$)|metrics$|docs(\/|$|-json)|openapi\.json$)/;

/** RATE_LIMIT_PER_MINUTE (0 = off); an unset or empty value keeps the default. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const raw = env.RATE_LIMIT_PER_MINUTE?.trim();
  if (!raw) return DEFAULT_RATE_LIMIT;
  if (!/^\d+$/.test(raw)) throw new Error(`RATE_LIMIT_PER_MINUTE must be a whole number (0 = off), got "${raw}"`);
  return { limit: Number(raw), windowMs: 60_000 };
}

export function throttlerOptionsFor(rateLimit: RateLimitOptions = DEFAULT_RATE_LIMIT): ThrottlerModuleOptions {
  return {
    throttlers: [{ name: 'default', limit: Math.max(rateLimit.limit, 1), ttl: rateLimit.windowMs }],
    skipIf: () => rateLimit.limit === 0,
  };
}

/**
 * Per-client rate limit. Runs after JwtAuthGuard, so an authenticated client is counted by its token's `sub`
 * (many users behind one NAT do not starve each other) and an anonymous one (webhooks) by its address.
 * Answers 429 problem+json with Retry-After (seconds).
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !isCounted(context);
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const sub = req.user?.sub;
    return typeof sub === 'string' && sub ? `sub:${sub}` : `ip:${req.ip ?? req.socket?.remoteAddress ?? 'unknown'}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new ProblemException({
      status: HttpStatus.TOO_MANY_REQUESTS,
      code: 'RATE_LIMITED',
      detail: `Too many requests: at most ${detail.limit} per ${Math.round(detail.ttl / 1000)} s. Retry after ${detail.timeToBlockExpire} s.`,
    });
  }
}

function isCounted(context: ExecutionContext): boolean {
  if (context.getType() !== 'http') return false;
  const req = context.switchToHttp().getRequest<{ url?: string }>();
  return !RATE_LIMIT_EXEMPT_PATHS.test((req.url ?? '').split('?')[0]);
}

/**
 * The global guard in front of `ClientThrottlerGuard`: a request that is not counted (a probe, a scrape, every
 * request while the limit is off) passes synchronously, since the throttler's own check is a promise chain and
 * Nest awaits a guard only when it answers with one.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly off: boolean;

  constructor(
    private readonly throttler: ClientThrottlerGuard,
    @Inject(API_CONVENTIONS_OPTIONS) options: ApiConventionsOptions,
  ) {
    this.off = (options.rateLimit ?? DEFAULT_RATE_LIMIT).limit === 0;
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.off || !isCounted(context) || this.throttler.canActivate(context);
  }
}
