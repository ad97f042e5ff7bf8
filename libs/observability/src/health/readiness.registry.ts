import { Injectable } from '@nestjs/common';

/** Something the service needs before it can take traffic (a broker, a cache...). Throw or reject when not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

// The database check is built in (from the app's TypeORM DataSource) and reported under this name.
export const DATABASE_CHECK_NAME = 'database';

/** Runtime registration, so libs that own a dependency (e.g. messaging) plug in its check without this lib knowing it. */
@Injectable()
export class ReadinessRegistry {
  private readonly registered = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    // Results are keyed by name: a duplicate would silently hide one of the two checks.
    if (check.name === DATABASE_CHECK_NAME) {
      throw new Error(`Readiness check name "${DATABASE_CHECK_NAME}" is reserved for the built-in database check`);
    }
    if (this.registered.has(check.name)) {
      throw new Error(`Readiness check "${check.name}" is already registered`);
    }
    this.registered.set(check.name, check);
  }

  checks(): ReadinessCheck[] {
    return [...this.registered.values()];
  }
}
