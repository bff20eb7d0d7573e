import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';

const KEY_FILE = 'credential.key';
const VERSION = 'v1';

const keys = new WeakMap<Config, Buffer>();

/**
 * The server's key for stored credentials: CREDENTIAL_KEY, else a random key kept in DATA_DIR/credential.key (mode
 * 0600), made on first use. It lives outside the database, so a reader of the database alone holds no usable secret.
 */
function credentialKey(config: Config): Buffer {
  const known = keys.get(config);
  if (known) return known;
  let key: Buffer;
  if (config.credentialKey) key = Buffer.from(config.credentialKey, 'base64');
  else {
    const path = join(config.dataDir, KEY_FILE);
    try {
      key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    } catch {
      mkdirSync(config.dataDir, { recursive: true });
      key = randomBytes(32);
      // `wx`: of two processes making the key at once, one writes it and the other reads it.
      try {
        writeFileSync(path, key.toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch {
        key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
      }
    }
  }
  if (key.length !== 32) throw new Error(`the credential key must be 32 bytes (CREDENTIAL_KEY or ${KEY_FILE})`);
  keys.set(config, key);
  return key;
}

/** Encrypts a credential with AES-256-GCM under the server's key; `context` (the owner's id) binds it to its row. */
export function sealCredential(config: Config, plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', credentialKey(config), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Decrypts what sealCredential wrote for the same context; throws if it was altered or moved to another row. */
export function openCredential(config: Config, sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unreadable sealed credential');
  const decipher = createDecipheriv('aes-256-gcm', credentialKey(config), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * A keyed digest (HMAC-SHA-256 under the server's key) of a low-entropy credential such as a recovery code: looked up
 * like a hash, but a reader of the database alone cannot try candidates against it.
 */
export function credentialDigest(config: Config, text: string): string {
  return createHmac('sha256', credentialKey(config)).update(text).digest('hex');
}
