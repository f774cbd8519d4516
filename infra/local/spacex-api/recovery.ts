/** Boosters, fairings and the fleet: the cores, landings, fairings, ships and capsules of a launch. */
import { LANDPAD, PADS, ROCKET } from './catalogue';
import { ERA } from './history';
import { KIND } from './ids';
import { coreCount, isDragon, type Profile } from './manifest';
import type { Mission } from './catalogue';
import { STREAM as S } from './random';
import type { Launch, LaunchCore } from './types';
import type { World } from './world';

const SHIP_POOL = 24;
const CAPSULE_POOL = 16;

/** Landing facts of core c; landpad is an index into LANDPADS or -1. */
export interface Landing {
  attempt: boolean;
  type: LaunchCore['landing_type'];
  landpad: number;
  success: boolean | null;
}

const NO_LANDING: Landing = { attempt: false, type: null, landpad: -1, success: null };

export function landingOf(w: World, i: number, c: number, profile: Profile, past: boolean): Landing {
  const { hash } = w;
  const ms = profile.baseMs;
  if (profile.rocket === ROCKET.falcon1 || profile.rocket === ROCKET.starship || ms < ERA.oceanLandings) return NO_LANDING;
  const u = hash.unit(S.landing, i, c + 1);
  const success = past ? hash.unit(S.landing, i, c + 11) < 0.93 : null;
  if (ms < ERA.landings) return u < 0.5 ? { attempt: true, type: 'Ocean', landpad: -1, success } : NO_LANDING;
  if (u >= (profile.mission === 'comsat' ? 0.75 : 0.95)) return NO_LANDING;
  const west = PADS[profile.pad].westCoast;
  const sideBooster = c > 0;
  const { mission } = profile;
  const returnToSite =
    sideBooster || ((mission === 'cargo' || mission === 'rideshare' || mission === 'crew') && hash.unit(S.landing, i, c + 21) < 0.6);
  if (returnToSite) {
    const secondPad = c === 2 || (ms >= ERA.newDroneships && hash.unit(S.landing, i, c + 31) < 0.5);
    return { attempt: true, type: 'RTLS', landpad: west ? LANDPAD.lz4 : secondPad ? LANDPAD.lz2 : LANDPAD.lz1, success };
  }
  let droneship: number;
  if (west) droneship = ms < ERA.newDroneships ? LANDPAD.jrti1 : LANDPAD.ocisly;
  else if (ms < ERA.newDroneships) droneship = LANDPAD.ocisly;
  else droneship = hash.unit(S.landing, i, c + 41) < 0.5 ? LANDPAD.jrti : LANDPAD.asog;
  return { attempt: true, type: 'ASDS', landpad: droneship, success };
}

export function coresOf(w: World, i: number, profile: Profile, past: boolean): LaunchCore[] {
  const cores: LaunchCore[] = [];
  for (let c = 0; c < coreCount(profile.rocket); c++) cores.push(core(w, i, c, profile, past));
  return cores;
}

function core(w: World, i: number, c: number, profile: Profile, past: boolean): LaunchCore {
  const { hash } = w;
  const landing = landingOf(w, i, c, profile, past);
  const modern = profile.baseMs >= ERA.gridfins && profile.rocket !== ROCKET.falcon1;
  const reused = profile.baseMs >= ERA.reflights && hash.unit(S.core, i, c + 1) < (past ? 0.6 : 0.8);
  const assigned = past || hash.unit(S.core, i, c + 11) < 0.6;
  return {
    core: assigned ? w.ids.objectId(KIND.core, hash.int(S.core, i, c + 21) % w.corePool) : null,
    flight: assigned ? (reused ? 2 + (hash.int(S.core, i, c + 31) % 12) : 1) : null,
    gridfins: modern,
    legs: modern,
    reused: assigned ? reused : null,
    landing_attempt: landing.attempt,
    landing_success: landing.success,
    landing_type: landing.type,
    landpad: landing.landpad < 0 ? null : w.landpadIds[landing.landpad],
  };
}

/** Null for Dragon missions (no fairing) and a few others. */
export function fairingsOf(w: World, i: number, profile: Profile, past: boolean): Launch['fairings'] {
  const { hash } = w;
  if (isDragon(profile.mission) || hash.unit(S.fairings, i) < 0.03) return null;
  if (!past) return { reused: null, recovery_attempt: null, recovered: null, ships: [] };
  const attempt = profile.baseMs >= ERA.reflights && hash.unit(S.fairings, i, 1) < 0.6;
  const recovered = attempt && hash.unit(S.fairings, i, 2) < 0.7;
  return {
    reused: profile.baseMs >= ERA.fairingReuse && hash.unit(S.fairings, i, 3) < 0.5,
    recovery_attempt: attempt,
    recovered,
    ships: recovered ? [w.ids.objectId(KIND.ship, hash.int(S.ships, i, 9) % SHIP_POOL)] : [],
  };
}

export function shipsOf(w: World, i: number, past: boolean, baseMs: number): string[] {
  if (!past || baseMs < ERA.recoveryFleet) return [];
  const count = w.hash.int(S.ships, i) % 4;
  const first = w.hash.int(S.ships, i, 1) % SHIP_POOL;
  const ships: string[] = [];
  for (let j = 0; j < count; j++) ships.push(w.ids.objectId(KIND.ship, (first + j) % SHIP_POOL));
  return ships;
}

export function capsuleIdOf(w: World, i: number, mission: Mission): string {
  const pool = mission === 'crew' ? CAPSULE_POOL : 0;
  return w.ids.objectId(KIND.capsule, pool + (w.hash.int(S.capsule, i) % CAPSULE_POOL));
}
