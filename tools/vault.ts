// The key vault of personal data (docs/decisions/0024-personal-data.md):
//   npm run vault -- status    live and destroyed keys, and how many each master key wraps
//   npm run vault -- rotate    re-wrap every live key with the first key of PII_MASTER_KEYS
// Rotating a master key: put the new key first in PII_MASTER_KEYS (keep the old one after it), roll the
// services, run `rotate`, then drop the old key from PII_MASTER_KEYS. Events on the topics are unaffected:
// they are sealed with the data keys, which do not change.
import { personalDataVault } from '@crm/privacy';

async function main() {
  const command = process.argv[2];
  if (command !== 'status' && command !== 'rotate') throw new Error('usage: vault status | vault rotate');
  const vault = personalDataVault();
  try {
    if (command === 'rotate') console.log(`vault: re-wrapped ${await vault.rotate()} key(s)`);
    const { live, destroyed, byMaster } = await vault.status();
    const wrapped = Object.entries(byMaster).map(([id, n]) => `${id}: ${n}`);
    console.log(`vault: ${live} live key(s) (${wrapped.join(', ') || 'none'}), ${destroyed} destroyed`);
  } finally {
    await vault.close();
  }
}

main().catch((err: Error) => {
  console.error(`vault: ${err.message}`);
  process.exit(1);
});
