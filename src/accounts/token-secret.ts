import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The prefix of personal access tokens: secret scanners and our own log redaction recognise it. */
export const PERSONAL_TOKEN_PREFIX = 'sp_pat_';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 30 random base62 characters (178 bits) and a 6-character checksum, as GitHub's token format has them.
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;

function base62(value: number, width: number): string {
  let out = '';
  for (let rest = value; out.length < width; rest = Math.floor(rest / 62)) out = (BASE62[rest % 62] ?? '0') + out;
  return out;
}

const checksumOf = (random: string) => base62(crc32(random), CHECKSUM_LENGTH);

/** A fresh `sp_pat_<random><checksum>` secret: the CRC32 of the random part, in base62, ends it. */
export function newPersonalToken(): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  return PERSONAL_TOKEN_PREFIX + random + checksumOf(random);
}

/** Whether a string is shaped like a personal access token with a checksum that matches (no database needed). */
export function isPersonalToken(secret: string): boolean {
  if (!secret.startsWith(PERSONAL_TOKEN_PREFIX)) return false;
  const body = secret.slice(PERSONAL_TOKEN_PREFIX.length);
  if (body.length !== RANDOM_LENGTH + CHECKSUM_LENGTH || ![...body].every((char) => BASE62.includes(char))) return false;
  return checksumOf(body.slice(0, RANDOM_LENGTH)) === body.slice(RANDOM_LENGTH);
}
