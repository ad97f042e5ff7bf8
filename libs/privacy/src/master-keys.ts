import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AES-256-GCM: a 12-byte nonce, the ciphertext, a 16-byte tag, in one buffer. */
const NONCE = 12;
const TAG = 16;

export function encrypt(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Throws when the key is wrong or the bytes were altered (the GCM tag does not match). */
export function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
}

/**
 * The master keys that wrap every data key (envelope encryption): `PII_MASTER_KEYS` lists `<id>:<base64 of 32
 * bytes>` pairs, the first being the one new keys are wrapped with; the others only unwrap, until a rotation
 * (`npm run vault -- rotate`) has re-wrapped their keys. Outside production a fixed local key stands in.
 */
export class MasterKeys {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentId: string;

  constructor(spec: string) {
    const pairs = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf(':');
        const id = pair.slice(0, at);
        const key = Buffer.from(pair.slice(at + 1), 'base64');
        if (at < 1 || !/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new Error('PII_MASTER_KEYS: each entry must be <id>:<base64 key>');
        if (key.length !== 32) throw new Error(`PII_MASTER_KEYS: key ${id} must be 32 bytes (base64), not ${key.length}`);
        return [id, key] as const;
      });
    if (!pairs.length) throw new Error('PII_MASTER_KEYS: no key given');
    this.keys = new Map(pairs);
    this.currentId = pairs[0][0];
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): MasterKeys {
    const spec = env.PII_MASTER_KEYS?.trim();
    if (spec) return new MasterKeys(spec);
    if (env.NODE_ENV === 'production') throw new Error('PII_MASTER_KEYS must be set in production (docs/decisions/0024-personal-data.md)');
    return new MasterKeys(`local:${createHash('sha256').update('crm local master key: never for production').digest('base64')}`);
  }

  wrap(dataKey: Buffer, keyId: string): { masterId: string; wrapped: Buffer } {
    return { masterId: this.currentId, wrapped: encrypt(this.keys.get(this.currentId)!, dataKey, keyId) };
  }

  unwrap(masterId: string, wrapped: Buffer, keyId: string): Buffer {
    const master = this.keys.get(masterId);
    if (!master) throw new Error(`data key ${keyId} is wrapped with master key ${masterId}, which PII_MASTER_KEYS no longer lists`);
    return decrypt(master, wrapped, keyId);
  }

  isCurrent(masterId: string): boolean {
    return masterId === this.currentId;
  }
}
