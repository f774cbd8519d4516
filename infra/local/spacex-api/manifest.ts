/**
 * What each launch is, whatever the tick: its rocket, pad, mission, payload count, base date and
 * outcome, all computed from (seed, index). Launch i has flight number i + 1.
 */
import { HOUR, MINUTE } from './calendar';
import { COMSAT_OPERATORS, MISSION_SHARES, type Mission, PAD, ROCKET, type RocketKey } from './catalogue';
import { ERA, historicalDateMs, LAST_PAST_FLIGHT_MS, FIRST_FLIGHT_MS } from './history';
import { type Hasher, STREAM as S } from './random';

const { floor, max, round } = Math;

/** Share of the past timeline flown by Falcon 1 in the real data (5 of 187). */
const FALCON1_SHARE = 5 / 187;
/** Launches after the last past one follow each other every few days (the real 2022 cadence). */
const UPCOMING_SPACING_MS = 96 * HOUR;

/** Where in the past the guaranteed quirks sit, as fractions of the past launches. */
const QUIRK_AT = {
  noPayloads: 0.29,
  quotedName: 0.37,
  staticFireAfterLaunch: 0.47,
  unknownOutcome: 0.61,
  dragon: 0.71,
  sixteenPayloads: 0.83,
} as const;
export type Quirk = keyof typeof QUIRK_AT;

export interface Profile {
  rocket: RocketKey;
  pad: number;
  mission: Mission;
  baseMs: number;
  payloads: number;
}

export class Manifest {
  readonly falcon1Flights: number;
  private readonly quirkIndexes: Record<Quirk, number>;
  /** payloadStart[i] = index of launch i's first payload, for i <= known (grown on demand). */
  private payloadStart: Int32Array;
  private known: number;

  constructor(
    private readonly hash: Hasher,
    /** Launches already flown at tick 0. */
    readonly pastAtStart: number,
    /** Launches whose payload offsets are computed up front. */
    launches: number,
  ) {
    const past = pastAtStart;
    this.falcon1Flights = past === 0 ? 0 : max(1, round(past * FALCON1_SHARE));
    // Below 10 past launches the fixed positions would collide; small sets rely on chance alone.
    this.quirkIndexes = Object.fromEntries(
      Object.entries(QUIRK_AT).map(([quirk, at]) => [quirk, past >= 10 ? floor(past * at) : -1]),
    ) as Record<Quirk, number>;
    this.payloadStart = new Int32Array(launches + 1);
    this.known = 0;
    this.extend(launches);
  }

  /** Index of launch i's first payload; payloadStartOf(n) is the number of payloads of launches 0..n-1. */
  payloadStartOf(i: number): number {
    if (i > this.known) this.extend(i);
    return this.payloadStart[i];
  }

  /** Launch index carrying payload k (binary search over the payload offsets). */
  launchOfPayload(k: number): number {
    while (this.payloadStart[this.known] <= k) this.extend(max(this.known * 2, 64));
    let low = 0;
    let high = this.known - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.payloadStart[mid] <= k) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private extend(to: number): void {
    if (to + 1 > this.payloadStart.length) {
      const grown = new Int32Array(max(to + 1, this.payloadStart.length * 2));
      grown.set(this.payloadStart);
      this.payloadStart = grown;
    }
    for (let i = this.known; i < to; i++) this.payloadStart[i + 1] = this.payloadStart[i] + this.profile(i).payloads;
    this.known = max(this.known, to);
  }

  isQuirk(i: number, quirk: Quirk): boolean {
    return i === this.quirkIndexes[quirk];
  }

  /** Base date: past launches spread 2006-2022 (denser towards the end, like the real cadence); later ones follow every few days. */
  baseDateMs(i: number): number {
    if (i >= this.pastAtStart) {
      const jitterHours = this.hash.int(S.date, i) % 72;
      return LAST_PAST_FLIGHT_MS + (i - this.pastAtStart + 1) * UPCOMING_SPACING_MS + jitterHours * HOUR;
    }
    if (i === 0) return FIRST_FLIGHT_MS;
    if (i === this.pastAtStart - 1) return LAST_PAST_FLIGHT_MS;
    const at = (k: number) => historicalDateMs(k / (this.pastAtStart - 1));
    const from = at(i);
    // Jitter stays inside the gap to the next launch, so past dates never go backwards.
    const ms = from + 0.8 * this.hash.unit(S.date, i) * (at(i + 1) - from);
    return floor(ms / MINUTE) * MINUTE;
  }

  profile(i: number): Profile {
    const baseMs = this.baseDateMs(i);
    const rocket = this.rocketOf(i, baseMs);
    const mission = this.missionOf(i, rocket, baseMs);
    return { rocket, pad: this.padOf(i, rocket, baseMs), mission, baseMs, payloads: this.payloadCountOf(i, mission) };
  }

  /** success once flown: null for a few past launches (real data has that), false for some. */
  outcome(i: number, past: boolean): boolean | null {
    if (!past) return null;
    const u = this.hash.unit(S.success, i);
    if (this.isQuirk(i, 'unknownOutcome') || u < 0.01) return null;
    if (i < this.falcon1Flights && i < 3) return false; // Falcon 1's first three flights failed
    return u >= 0.04;
  }

  comsatOperator(i: number): { operator: string; nationality: string } {
    return this.hash.pick(COMSAT_OPERATORS, S.name, i, 5);
  }

  private rocketOf(i: number, baseMs: number): RocketKey {
    if (i < this.falcon1Flights) return ROCKET.falcon1;
    const u = this.hash.unit(S.rocket, i);
    const upcoming = i >= this.pastAtStart;
    if (upcoming && u < 0.06) return ROCKET.starship;
    if (baseMs >= ERA.falconHeavy && u < (upcoming ? 0.12 : 0.03)) return ROCKET.falconHeavy;
    return ROCKET.falcon9;
  }

  private padOf(i: number, rocket: RocketKey, baseMs: number): number {
    if (rocket === ROCKET.falcon1) return PAD.kwajalein;
    if (rocket === ROCKET.starship) return PAD.stls;
    if (rocket === ROCKET.falconHeavy) return PAD.lc39a;
    const u = this.hash.unit(S.pad, i);
    if (baseMs >= ERA.vandenberg && u < 0.2) return PAD.slc4e;
    if (baseMs >= ERA.lc39a && u < 0.42) return PAD.lc39a;
    return PAD.slc40;
  }

  private missionOf(i: number, rocket: RocketKey, baseMs: number): Mission {
    if (rocket === ROCKET.falcon1) return 'falcon1';
    if (rocket === ROCKET.starship) return 'starship';
    if (this.isQuirk(i, 'dragon')) return 'cargo';
    if (this.isQuirk(i, 'sixteenPayloads')) return 'rideshare';
    let u = this.hash.unit(S.mission, i);
    if (baseMs < ERA.firstCargo) return u < 0.5 ? 'demo' : 'cargo';
    for (const { mission, share, since } of MISSION_SHARES) {
      if (since !== null && baseMs < ERA[since]) continue;
      if (u < share) return mission;
      u -= share;
    }
    return 'comsat';
  }

  private payloadCountOf(i: number, mission: Mission): number {
    if (this.isQuirk(i, 'sixteenPayloads')) return 16; // STP-2 carried 16
    if (this.isQuirk(i, 'noPayloads')) return 0;
    const u = this.hash.unit(S.payloadCount, i);
    if (u < 0.015) return 0;
    if (mission === 'rideshare') return 2 + (this.hash.int(S.payloadCount, i, 1) % 5);
    if (mission === 'comsat' && u > 0.9) return 2;
    return 1;
  }
}

export const isDragon = (mission: Mission): boolean => mission === 'cargo' || mission === 'crew';
export const coreCount = (rocket: RocketKey): number => (rocket === ROCKET.falconHeavy ? 3 : 1);
