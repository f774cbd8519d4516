/**
 * The static facts of the simulated API, close to the real late-2022 data: rockets, launch and
 * landing sites, mission kinds and the names they use. The facts live in data/*.json; this module
 * types them and names the entries the generator refers to.
 */
import landpads from './data/landpads.json';
import launchpads from './data/launchpads.json';
import missions from './data/missions.json';
import names from './data/names.json';
import rockets from './data/rockets.json';
import type { Era } from './history';
import type { Landpad, Launchpad } from './types';

export interface RocketFacts {
  name: string;
  active: boolean;
  stages: number;
  boosters: number;
  cost: number;
  successPct: number;
  firstFlight: string;
  height: number;
  diameter: number;
  massKg: number;
  legs: number;
  engines: number;
  engineType: string;
  engineVersion: string;
  thrustSeaLevel: number;
  thrustVacuum: number;
  ispSeaLevel: number;
  ispVacuum: number;
  payloadLeoKg: number;
  propellant1: string;
  propellant2: string;
  thrustToWeight: number;
  description: string;
  wikipedia: string;
}

/** The fields a launch site's facts share with its document. */
type PadDocumentFields = 'name' | 'full_name' | 'locality' | 'region' | 'timezone' | 'latitude' | 'longitude' | 'status' | 'details';

/** A launch site's facts: its document's own fields, its rockets, its time zone's rules and its coast. */
export interface PadFacts extends Pick<Launchpad, PadDocumentFields> {
  /** Indexes into ROCKETS. */
  rockets: number[];
  utcOffsetHours: number;
  usDaylightSaving: boolean;
  westCoast: boolean;
}

/** A landing site's facts, in the key order of the document. */
export type LandpadFacts = Omit<Landpad, 'images' | 'landing_attempts' | 'landing_successes' | 'launches' | 'id'>;

export type Mission = 'falcon1' | 'demo' | 'starlink' | 'cargo' | 'crew' | 'comsat' | 'rideshare' | 'government' | 'science' | 'starship';

/** What a mission's payloads are; lists are picked from by one draw per payload. */
export interface PayloadFacts {
  type: string;
  /** null: the launch's satellite operator. */
  customers: string[] | null;
  /** null: one of SATELLITE_MAKERS. */
  manufacturers: string[] | null;
  orbits: string[];
  regime: string;
  /** [low, high] for a uniform draw, one mass for all (as Starlink batches), or null: never known. */
  massKg: [number, number] | number | null;
  /** single: the launch's name (numbered when it carries several); numbered: always "<launch> Payload n". */
  naming: 'single' | 'numbered';
  /** Facts that change once an era has begun. */
  fromEra?: Partial<Record<Era, Partial<Omit<PayloadFacts, 'fromEra'>>>>;
}

// Long descriptions are kept as lines in the data file.
export const ROCKETS: readonly RocketFacts[] = rockets.map((rocket) => ({ ...rocket, description: rocket.description.join(' ') }));
export const PADS: readonly PadFacts[] = launchpads.map((pad) => ({
  ...pad,
  status: pad.status as Launchpad['status'],
  rockets: pad.rockets.map((name) => indexOfName(ROCKETS, name)),
}));
export const LANDPADS: readonly LandpadFacts[] = landpads as LandpadFacts[];

export const FALCON1_NAMES: readonly string[] = names.falcon1Flights;
export const COMSAT_OPERATORS: readonly { operator: string; nationality: string }[] = names.comsatOperators;
export const GOVERNMENT_PROGRAMS: readonly string[] = names.governmentPrograms;
export const SCIENCE_MISSIONS: readonly string[] = names.scienceMissions;
export const SATELLITE_MAKERS: readonly string[] = names.satelliteMakers;
/** Names with quotes and apostrophes: a loader that builds SQL by concatenation breaks on them. */
export const QUOTED_NAMES: readonly string[] = names.quotedNames;
export const FAILURE_REASONS: readonly string[] = names.failureReasons;
export const CREW_ROLES: readonly string[] = names.crewRoles;
/** Templates with {rocket}, {name}, {pad} and {payloads} placeholders. */
export const LAUNCH_DETAILS: readonly string[] = names.launchDetails;

/** Share of launches per mission once its era has begun (null: always); the rest are commercial satellites. */
export const MISSION_SHARES = missions.shares as readonly { mission: Mission; share: number; since: Era | null }[];
export const PAYLOADS = missions.payloads as Record<Mission, PayloadFacts>;

/** Entries the generator refers to, by their index in the data files: append to those files, never reorder. */
export const ROCKET = { falcon1: 0, falcon9: 1, falconHeavy: 2, starship: 3 } as const;
export type RocketKey = (typeof ROCKET)[keyof typeof ROCKET];
export const PAD = { slc3w: 0, slc40: 1, stls: 2, kwajalein: 3, slc4e: 4, lc39a: 5 } as const;
export const LANDPAD = { lz1: 0, lz2: 1, lz4: 2, jrti1: 3, ocisly: 4, jrti: 5, asog: 6 } as const;

function indexOfName(list: readonly { name: string }[], name: string): number {
  const index = list.findIndex((entry) => entry.name === name);
  if (index < 0) throw new Error(`data files: no entry named ${name}`);
  return index;
}
