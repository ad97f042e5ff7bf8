// Regenerates libs/contracts/asyncapi.json from the catalogue: `npm run asyncapi`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument } from '../src/asyncapi';

const target = join(__dirname, '..', 'asyncapi.json');
writeFileSync(target, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
