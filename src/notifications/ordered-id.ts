import { randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7-shaped id whose text sorts in creation order within this process, even for rows created in the same
 * millisecond (or under a clock that stands still): lists ordered by (time, id) then keep insertion order. The time
 * part comes from the given instant, never moving backwards, so ids stay monotonic if the clock is set back.
 */
export function timeOrderedId(now: Date): string {
  let ms = now.getTime();
  if (ms <= lastMs) {
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      ms += 1;
      sequence = 0;
    }
  } else {
    sequence = 0;
  }
  lastMs = ms;
  const time = ms.toString(16).padStart(12, '0').slice(-12);
  const random = randomBytes(8);
  // RFC 9562 variant bits (10xx) in the first random byte.
  random[0] = ((random[0] ?? 0) & 0x3f) | 0x80;
  const tail = random.toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence.toString(16).padStart(3, '0')}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}
