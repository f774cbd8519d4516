/**
 * Stateless hashing: one independent stream per field, so any field of any document is computed
 * alone from (seed, stream, index), in any order, without generating what comes before it.
 */

// Globals used per document are read once: in a vm context (jest runs tests in one) every global
// lookup goes through an interceptor, which made generation ten times slower.
const { imul } = Math;

export function mix32(x: number): number {
  x = imul(x ^ (x >>> 16), 0x7feb352d);
  x = imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Stream tags; new fields get new tags so existing values never move. */
export const STREAM = {
  id: 1,
  idStamp: 2,
  idMask: 3,
  rocket: 4,
  pad: 5,
  mission: 6,
  payloadCount: 7,
  date: 8,
  slip: 9,
  slipHours: 10,
  success: 11,
  failure: 12,
  staticFire: 13,
  precision: 14,
  window: 15,
  details: 16,
  fairings: 17,
  ships: 18,
  capsule: 19,
  core: 20,
  landing: 21,
  links: 22,
  name: 23,
  payload: 24,
  mass: 25,
  orbit: 26,
  libraryId: 27,
  scrub: 28,
  scrubHours: 29,
} as const;

export class Hasher {
  private readonly base: number;
  constructor(seed: number) {
    this.base = mix32(seed ^ 0x2545f491);
  }
  int(stream: number, index: number, extra = 0): number {
    const h = mix32((mix32(this.base ^ imul(stream, 0x9e3779b1)) + index) | 0);
    return extra === 0 ? h : mix32(h ^ imul(extra, 0x85ebca77));
  }
  unit(stream: number, index: number, extra = 0): number {
    return this.int(stream, index, extra) / 4294967296;
  }
  pick<T>(list: readonly T[], stream: number, index: number, extra = 0): T {
    return list[this.int(stream, index, extra) % list.length];
  }
}

const HEX_BYTES = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

/** Number.prototype.toString(16) is slow enough to dominate id generation. */
export const hex8 = (n: number): string =>
  HEX_BYTES[n >>> 24] + HEX_BYTES[(n >>> 16) & 255] + HEX_BYTES[(n >>> 8) & 255] + HEX_BYTES[n & 255];
