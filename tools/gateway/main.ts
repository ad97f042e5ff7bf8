// `npm run gateway`: writes the gateway's nginx configuration (ADR 0020).
//   tools/gateway/main.ts                  <run dir>/gateway/nginx.conf and docs.html for this machine (CRM_RUN_DIR,
//                                          default tmp/run); prints the configuration's path
//   tools/gateway/main.ts --deploy         deploy/gateway/nginx.conf (docker compose) and deploy/k8s/gateway/ingress.yaml
//   tools/gateway/main.ts --deploy --check fails if those are not what the document gives
// Routes come from docs/api/openapi.json (each operation's x-service); settings from the environment:
// GATEWAY_PORT (8080), GATEWAY_HOST, CORS_ORIGINS, <SVC>_URL (one or several, comma separated) or <SVC>_PORT with
// CRM_REPLICAS (tools/start.sh --replicas: replica k on <port> + 100·k), HTTP_JSON_BODY_LIMIT, GATEWAY_WORKERS.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deployFiles } from './deploy';
import { docsPage } from './docs-page';
import { consoleConfig, corsOriginsOf, localConfig, ROOT } from './local';
import { renderNginxConf } from './nginx-conf';
import { routeTable, type OpenApiDocument } from './routes';

function main(args: string[]): void {
  const table = routeTable(JSON.parse(readFileSync(join(ROOT, 'docs', 'api', 'openapi.json'), 'utf8')) as OpenApiDocument);
  if (args.includes('--deploy')) {
    const stale: string[] = [];
    for (const [path, text] of Object.entries(deployFiles(table, corsOriginsOf(process.env)))) {
      const file = join(ROOT, path);
      if (args.includes('--check')) {
        if (readOr(file) !== text) stale.push(path);
      } else {
        mkdirSync(resolve(file, '..'), { recursive: true });
        writeFileSync(file, text);
      }
    }
    if (stale.length) {
      console.error(`gateway: ${stale.join(', ')} not current; run: npm run gateway -- --deploy`);
      process.exit(1);
    }
    return;
  }
  const runDir = join(resolve(ROOT, process.env.CRM_RUN_DIR ?? 'tmp/run'), 'gateway');
  mkdirSync(join(runDir, 'temp'), { recursive: true });
  const config = localConfig(process.env, runDir);
  writeFileSync(config.docsPagePath, docsPage());
  if (config.console) writeFileSync(config.console.configPath, JSON.stringify(consoleConfig(process.env)));
  writeFileSync(join(runDir, 'nginx.conf'), renderNginxConf(table, config));
  console.log(join(runDir, 'nginx.conf'));
}

function readOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(`gateway: ${(err as Error).message}`);
  process.exit(1);
}
