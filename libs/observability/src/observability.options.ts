export interface ObservabilityOptions {
  /** Becomes the `service` label on every metric and the readiness log context. */
  serviceName: string;
  /** How long each readiness check may take before it counts as failed. */
  readinessTimeoutMs?: number;
}

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;
