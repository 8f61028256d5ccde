// Event ids: monotonic ULIDs (26 Crockford base32 chars, 48-bit ms time + 80 random bits). Within one
// millisecond the random part increments, so ids sort in arrival order — /events breaks timestamp ties
// with them. Randomness comes from a pooled buffer: the `ulid` package asks the CSPRNG once per character.
import { randomFillSync } from 'node:crypto';

const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

let lastTime = -1;
let timePart = '';
const random = new Uint8Array(16); // 16 base32 digits, most significant first

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ENCODING[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function freshRandom(): void {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  for (let i = 0; i < 16; i++) random[i] = pool[poolAt++] & 31;
}

/** True when the random part wrapped around (practically never: it starts at a random 80-bit value). */
function increment(): boolean {
  for (let i = 15; i >= 0; i--) {
    if (random[i] < 31) {
      random[i]++;
      return false;
    }
    random[i] = 0;
  }
  return true;
}

export function newUlid(now: number = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    timePart = encodeTime(now);
    freshRandom();
  } else if (increment()) {
    // Clock went backwards or 2^80 ids in one ms: move to the next millisecond to stay monotonic.
    lastTime += 1;
    timePart = encodeTime(lastTime);
    freshRandom();
  }
  let out = timePart;
  for (let i = 0; i < 16; i++) out += ENCODING[random[i]];
  return out;
}
