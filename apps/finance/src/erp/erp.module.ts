import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { BuiltinLedgerConnector, FINANCE_ERP_CONNECTOR, type FinanceErpConnector } from './finance-erp.connector';
import { HttpFinanceErpConnector } from './http-erp.connector';

export interface ErpSettings {
  /** FINANCE_ERP_URL; unset → the built-in ledger. */
  url?: string;
  /** FINANCE_ERP_TOKEN, sent as a bearer token. */
  token?: string;
  /** FINANCE_ERP_RETRY_MS: the first retry delay of one call. */
  retryDelayMs?: number;
}

/** Reads the connector settings at boot; a malformed URL stops the service rather than failing every event. */
export function erpSettingsFrom(env: NodeJS.ProcessEnv): ErpSettings {
  const url = env.FINANCE_ERP_URL?.trim() || undefined;
  if (url && !/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`invalid finance configuration: FINANCE_ERP_URL must be an http(s) URL`);
  const retry = env.FINANCE_ERP_RETRY_MS;
  const retryDelayMs = retry === undefined ? undefined : Number(retry);
  if (retryDelayMs !== undefined && (!Number.isInteger(retryDelayMs) || retryDelayMs < 0)) {
    throw new Error('invalid finance configuration: FINANCE_ERP_RETRY_MS must be a non-negative integer');
  }
  return { url, token: env.FINANCE_ERP_TOKEN || undefined, retryDelayMs };
}

export function connectorFor(settings: ErpSettings): FinanceErpConnector {
  if (!settings.url) return new BuiltinLedgerConnector();
  return new HttpFinanceErpConnector({ baseUrl: settings.url, token: settings.token, retryDelayMs: settings.retryDelayMs });
}

@Global()
@Module({})
export class ErpModule {
  static forRoot(settings: ErpSettings): DynamicModule {
    return {
      module: ErpModule,
      providers: [
        {
          provide: FINANCE_ERP_CONNECTOR,
          useFactory: () => {
            const connector = connectorFor(settings);
            new Logger('FinanceErp').log(`ERP connector: ${connector.name}${settings.url ? ` (${new URL(settings.url).origin})` : ''}`);
            return connector;
          },
        },
      ],
      exports: [FINANCE_ERP_CONNECTOR],
    };
  }
}
