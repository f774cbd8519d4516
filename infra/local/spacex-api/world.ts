/** Everything document builders share for one seed and size: the hash, ids, manifest and clock. */
import { LANDPADS, PADS, ROCKETS } from './catalogue';
import { Ids, KIND } from './ids';
import { Manifest } from './manifest';
import { Hasher } from './random';
import { Schedule } from './schedule';

const { ceil, max } = Math;

/** Cores are reused: a pool of a fifth as many cores as launches at tick 0. */
const CORE_POOL_DIVISOR = 5;

export interface World {
  hash: Hasher;
  ids: Ids;
  manifest: Manifest;
  schedule: Schedule;
  rocketIds: string[];
  padIds: string[];
  landpadIds: string[];
  corePool: number;
}

export function createWorld(seed: number, launches: number, upcoming: number): World {
  const hash = new Hasher(seed);
  const ids = new Ids(hash);
  const past = launches - upcoming;
  return {
    hash,
    ids,
    manifest: new Manifest(hash, past, launches),
    schedule: new Schedule(hash, past, upcoming),
    rocketIds: ROCKETS.map((_, r) => ids.objectId(KIND.rocket, r)),
    padIds: PADS.map((_, p) => ids.objectId(KIND.launchpad, p)),
    landpadIds: LANDPADS.map((_, p) => ids.objectId(KIND.landpad, p)),
    corePool: max(8, ceil(launches / CORE_POOL_DIVISOR)),
  };
}
