// `node -r ./tools/register.js file.ts`: runs TypeScript directly (scripts, migrations, dev servers) with
// the workspace's path aliases. @swc-node/register looks for ./tsconfig.json unless told otherwise.
const { join } = require('node:path');

process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
