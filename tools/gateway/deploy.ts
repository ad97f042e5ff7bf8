// The gateway outside a developer machine; filled in with the Ingress.
import type { RouteTable } from './routes';

export function deployFiles(_table: RouteTable): Record<string, string> {
  return {};
}
