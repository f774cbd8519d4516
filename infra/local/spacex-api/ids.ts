/** ObjectId-looking ids (24 hex) that decode back to the index of the document they name. */
import { type Hasher, hex8, STREAM } from './random';

/** Entity kinds baked into ids, so ids of different kinds never collide and decode to an index. */
export const KIND = { launch: 1, payload: 2, rocket: 3, launchpad: 4, landpad: 5, core: 6, crew: 7, ship: 8, capsule: 9 } as const;
export type Kind = (typeof KIND)[keyof typeof KIND];

const ID = /^[0-9a-f]{24}$/;

export class Ids {
  private readonly masks: number[];

  constructor(private readonly hash: Hasher) {
    this.masks = Object.values(KIND).map((kind) => hash.int(STREAM.idMask, kind));
  }

  /** 8 hex of plausible timestamp, 8 hex of hash, 8 hex of (index xor kind mask). */
  objectId(kind: Kind, index: number): string {
    const stamp = 0x5e000000 + (this.hash.int(STREAM.idStamp + 100 * kind, index) % 0x05000000);
    return hex8(stamp) + hex8(this.hash.int(STREAM.id + 100 * kind, index)) + hex8((index ^ this.masks[kind - 1]) >>> 0);
  }

  /** Index of the document an id names among the first `count`, or -1 (O(1): the index is in the id). */
  indexOf(kind: Kind, id: string, count: number): number {
    if (typeof id !== 'string' || !ID.test(id)) return -1;
    const index = (parseInt(id.slice(16), 16) ^ this.masks[kind - 1]) >>> 0;
    return index < count && this.objectId(kind, index) === id ? index : -1;
  }

  /** 8 hex for the paths of links and images. */
  linkCode(kind: Kind, index: number, extra = 0): string {
    return hex8(this.hash.int(STREAM.links + 100 * kind, index, extra));
  }

  /** A version 4 UUID, as launch_library_id. */
  uuid(i: number): string {
    const stream = STREAM.libraryId;
    const h =
      hex8(this.hash.int(stream, i, 1)) +
      hex8(this.hash.int(stream, i, 2)) +
      hex8(this.hash.int(stream, i, 3)) +
      hex8(this.hash.int(stream, i, 4));
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
