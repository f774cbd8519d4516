/**
 * Deterministic SpaceX-API-shaped data set for the replay source.
 *
 * Every document is computed on demand from (seed, index) with a stateless hash, so any launch or
 * payload can be produced alone, and a million-launch set costs one typed array (payload offsets),
 * not a million objects. The only mutable state is the tick that simulates a live source: at each
 * tick the next upcoming launch flies, and launches still upcoming may slip.
 */

export type DatePrecision = 'half' | 'quarter' | 'year' | 'month' | 'day' | 'hour';

export interface LaunchCore {
  core: string | null;
  flight: number | null;
  gridfins: boolean;
  legs: boolean;
  reused: boolean | null;
  landing_attempt: boolean | null;
  landing_success: boolean | null;
  landing_type: 'ASDS' | 'RTLS' | 'Ocean' | null;
  landpad: string | null;
}

export interface LaunchLinks {
  patch: { small: string | null; large: string | null };
  reddit: { campaign: string | null; launch: string | null; media: string | null; recovery: string | null };
  flickr: { small: string[]; original: string[] };
  presskit: string | null;
  webcast: string | null;
  youtube_id: string | null;
  article: string | null;
  wikipedia: string | null;
}

/** v5 launch, keys in the order the real API serialises them. */
export interface Launch {
  fairings: { reused: boolean | null; recovery_attempt: boolean | null; recovered: boolean | null; ships: string[] } | null;
  links: LaunchLinks;
  static_fire_date_utc: string | null;
  static_fire_date_unix: number | null;
  net: boolean;
  window: number | null;
  rocket: string;
  success: boolean | null;
  failures: { time: number; altitude: number | null; reason: string }[];
  details: string | null;
  crew: { crew: string; role: string }[];
  ships: string[];
  capsules: string[];
  payloads: string[];
  launchpad: string;
  flight_number: number;
  name: string;
  date_utc: string;
  date_unix: number;
  date_local: string;
  date_precision: DatePrecision;
  upcoming: boolean;
  cores: LaunchCore[];
  auto_update: boolean;
  tbd: boolean;
  launch_library_id: string | null;
  id: string;
}

export interface Dragon {
  capsule: string | null;
  mass_returned_kg: number | null;
  mass_returned_lbs: number | null;
  flight_time_sec: number | null;
  manifest: string | null;
  water_landing: boolean | null;
  land_landing: boolean | null;
}

/** v4 payload. */
export interface Payload {
  dragon: Dragon;
  name: string;
  type: string;
  reused: boolean;
  launch: string;
  customers: string[];
  norad_ids: number[];
  nationalities: string[];
  manufacturers: string[];
  mass_kg: number | null;
  mass_lbs: number | null;
  orbit: string | null;
  reference_system: string | null;
  regime: string | null;
  longitude: number | null;
  semi_major_axis_km: number | null;
  eccentricity: number | null;
  periapsis_km: number | null;
  apoapsis_km: number | null;
  inclination_deg: number | null;
  period_min: number | null;
  lifespan_years: number | null;
  epoch: string | null;
  mean_motion: number | null;
  raan: number | null;
  arg_of_pericenter: number | null;
  mean_anomaly: number | null;
  id: string;
}

export interface Launchpad {
  images: { large: string[] };
  name: string;
  full_name: string;
  locality: string;
  region: string;
  timezone: string;
  latitude: number;
  longitude: number;
  launch_attempts: number;
  launch_successes: number;
  rockets: string[];
  launches: string[];
  details: string;
  status: 'active' | 'inactive' | 'unknown' | 'retired' | 'lost' | 'under construction';
  id: string;
}

export interface Landpad {
  images: { large: string[] };
  name: string;
  full_name: string;
  status: 'active' | 'inactive' | 'unknown' | 'retired' | 'lost' | 'under construction';
  type: 'ASDS' | 'RTLS';
  locality: string;
  region: string;
  latitude: number;
  longitude: number;
  landing_attempts: number;
  landing_successes: number;
  wikipedia: string;
  details: string;
  launches: string[];
  id: string;
}

interface Measure {
  meters: number | null;
  feet: number | null;
}
interface Thrust {
  kN: number;
  lbf: number;
}

export interface Rocket {
  height: Measure;
  diameter: Measure;
  mass: { kg: number; lb: number };
  first_stage: {
    thrust_sea_level: Thrust;
    thrust_vacuum: Thrust;
    reusable: boolean;
    engines: number;
    fuel_amount_tons: number;
    burn_time_sec: number | null;
  };
  second_stage: {
    thrust: Thrust;
    payloads: { composite_fairing: { height: Measure; diameter: Measure }; option_1: string };
    reusable: boolean;
    engines: number;
    fuel_amount_tons: number;
    burn_time_sec: number | null;
  };
  engines: {
    isp: { sea_level: number; vacuum: number };
    thrust_sea_level: Thrust;
    thrust_vacuum: Thrust;
    number: number;
    type: string;
    version: string;
    layout: string | null;
    engine_loss_max: number | null;
    propellant_1: string;
    propellant_2: string;
    thrust_to_weight: number;
  };
  landing_legs: { number: number; material: string | null };
  payload_weights: { id: string; name: string; kg: number; lb: number }[];
  flickr_images: string[];
  name: string;
  type: 'rocket';
  active: boolean;
  stages: number;
  boosters: number;
  cost_per_launch: number;
  success_rate_pct: number;
  first_flight: string;
  country: string;
  company: string;
  wikipedia: string;
  description: string;
  id: string;
}

export interface DatasetOptions {
  launches: number;
  seed?: number;
  upcoming?: number;
}

// Globals used per document are read once: in a vm context (jest runs tests in one) every global
// lookup goes through an interceptor, which made generation ten times slower.
const { imul, floor, ceil, min, max, round, abs, sqrt, PI } = Math;
const { isInteger } = Number;
const encodeUri = encodeURIComponent;

// ---------------------------------------------------------------------------------------------
// Hashing: one independent stream per field, so any field of any document is computed alone.

function mix32(x: number): number {
  x = imul(x ^ (x >>> 16), 0x7feb352d);
  x = imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Stream tags; new fields get new tags so existing values never move. */
const S = {
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
} as const;

/** Entity kinds baked into ids, so ids of different kinds never collide and decode to an index. */
const KIND = { launch: 1, payload: 2, rocket: 3, launchpad: 4, landpad: 5, core: 6, crew: 7, ship: 8, capsule: 9 } as const;
type Kind = (typeof KIND)[keyof typeof KIND];

class Hasher {
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
const hex8 = (n: number): string => HEX_BYTES[n >>> 24] + HEX_BYTES[(n >>> 16) & 255] + HEX_BYTES[(n >>> 8) & 255] + HEX_BYTES[n & 255];

// ---------------------------------------------------------------------------------------------
// Time

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FIRST_FLIGHT_MS = Date.UTC(2006, 2, 24, 22, 30); // FalconSat
const LAST_PAST_FLIGHT_MS = Date.UTC(2022, 9, 5, 16, 0); // Crew-5, the real API's frozen "latest"
/**
 * The real cadence as (share of past launches flown, date) knots: Falcon 1 until mid-2009, then
 * Falcon 9 from June 2010, slowly at first, with half of all launches after 2020.
 */
const CADENCE: readonly (readonly [number, number])[] = [
  [0, FIRST_FLIGHT_MS],
  [4 / 186, Date.UTC(2009, 6, 14, 3, 35)], // RazakSat, the last Falcon 1
  [5 / 186, Date.UTC(2010, 5, 4, 18, 45)], // the first Falcon 9
  [0.13, Date.UTC(2016, 0, 1)],
  [0.27, Date.UTC(2018, 0, 1)],
  [0.53, Date.UTC(2020, 0, 1)],
  [0.84, Date.UTC(2022, 0, 1)],
  [1, LAST_PAST_FLIGHT_MS],
];

/** Date at a share x (0..1) of the past launches, interpolated between the cadence knots. */
function historicalDateMs(x: number): number {
  let k = 1;
  while (k < CADENCE.length - 1 && CADENCE[k][0] < x) k++;
  const [x0, t0] = CADENCE[k - 1];
  const [x1, t1] = CADENCE[k];
  return t0 + ((x - x0) / (x1 - x0)) * (t1 - t0);
}

const UPCOMING_SPACING_MS = 4 * DAY;
const SLIP_PROBABILITY = 0.3;
const MAX_SLIP_HOURS = 72;
/** Only the last ticks before a flight can slip it; bounds slip() at O(window) for any tick. */
const SLIP_WINDOW_TICKS = 64;
const since = (year: number, month = 1): number => Date.UTC(year, month - 1, 1);

/** Milestones of the real history that change what a launch looks like. */
const ERA = {
  firstCargo: since(2012, 5), // before: Falcon 9 test flights and COTS demos
  oceanLandings: since(2013, 9),
  vandenberg: since(2013, 9),
  launchLibrary: since(2014),
  redditThreads: since(2014),
  gridfins: since(2014, 12),
  recoveryFleet: since(2015),
  flickrAlbums: since(2015),
  landings: since(2015, 12),
  lc39a: since(2017, 2),
  reflights: since(2017, 3),
  dragonReuse: since(2017, 6),
  newDroneships: since(2018),
  falconHeavy: Date.UTC(2018, 1, 6),
  rideshare: since(2018, 12),
  starlink: since(2019, 5),
  fairingReuse: since(2019, 11),
  crew: since(2020, 5),
  dragon2: since(2020, 12),
  starlinkV15: since(2021, 6),
} as const;

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/** Date.prototype.toISOString without the Date: it dominates document generation otherwise. */
function iso(ms: number): string {
  const days = floor(ms / DAY);
  const t = ms - days * DAY;
  const [year, month, day] = civilFromDays(days);
  const hour = floor(t / HOUR);
  const minute = floor((t % HOUR) / MINUTE);
  const second = floor((t % MINUTE) / 1000);
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[t % 1000]}Z`;
}

/** Days since 1970-01-01 to [year, month 1-12, day] (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - floor((153 * mp + 2) / 5) + 1];
}

function nthSundayUtc(year: number, month: number, n: number, hourUtc: number): number {
  const firstDow = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return Date.UTC(year, month, 1 + ((7 - firstDow) % 7) + 7 * (n - 1), hourUtc);
}

const summerTimeByYear = new Map<number, readonly [number, number]>();

/** US daylight saving (2007+ rules; every US-pad launch is after 2007); bounds cached per year and zone. */
function isUsSummerTime(ms: number, standardOffsetHours: number): boolean {
  const year = civilFromDays(floor(ms / DAY))[0];
  const key = year * 100 + standardOffsetHours;
  let bounds = summerTimeByYear.get(key);
  if (!bounds) {
    bounds = [nthSundayUtc(year, 2, 2, 2 - standardOffsetHours), nthSundayUtc(year, 10, 1, 1 - standardOffsetHours)];
    summerTimeByYear.set(key, bounds);
  }
  return ms >= bounds[0] && ms < bounds[1];
}

/** "2022-10-05T12:00:00-04:00", as the real date_local. */
function localIso(ms: number, pad: PadInfo): string {
  const offset = pad.utcOffsetHours + (pad.usDaylightSaving && isUsSummerTime(ms, pad.utcOffsetHours) ? 1 : 0);
  const sign = offset < 0 ? '-' : '+';
  const hours = TWO_DIGITS[abs(offset)];
  return `${iso(ms + offset * HOUR).slice(0, 19)}${sign}${hours}:00`;
}

// ---------------------------------------------------------------------------------------------
// Reference entities (static facts, close to the real late-2022 data)

const ROCKET = { falcon1: 0, falcon9: 1, falconHeavy: 2, starship: 3 } as const;
type RocketKey = (typeof ROCKET)[keyof typeof ROCKET];

const PAD = { slc3w: 0, slc40: 1, stls: 2, kwajalein: 3, slc4e: 4, lc39a: 5 } as const;

interface PadInfo {
  name: string;
  full_name: string;
  locality: string;
  region: string;
  timezone: string;
  latitude: number;
  longitude: number;
  status: Launchpad['status'];
  rockets: RocketKey[];
  utcOffsetHours: number;
  usDaylightSaving: boolean;
  westCoast: boolean;
  details: string;
}

const PADS: readonly PadInfo[] = [
  {
    name: 'VAFB SLC 3W',
    full_name: 'Vandenberg Space Force Base Space Launch Complex 3W',
    locality: 'Vandenberg Space Force Base',
    region: 'California',
    timezone: 'America/Los_Angeles',
    latitude: 34.6440904,
    longitude: -120.5931438,
    status: 'retired',
    rockets: [ROCKET.falcon1],
    utcOffsetHours: -8,
    usDaylightSaving: true,
    westCoast: true,
    details: "SpaceX's original west coast launch pad for Falcon 1. It was never used for a launch.",
  },
  {
    name: 'CCSFS SLC 40',
    full_name: 'Cape Canaveral Space Force Station Space Launch Complex 40',
    locality: 'Cape Canaveral',
    region: 'Florida',
    timezone: 'America/New_York',
    latitude: 28.5618571,
    longitude: -80.577366,
    status: 'active',
    rockets: [ROCKET.falcon9],
    utcOffsetHours: -5,
    usDaylightSaving: true,
    westCoast: false,
    details: "SpaceX's primary Falcon 9 pad, where all east coast Falcon 9s launched prior to the AMOS-6 anomaly.",
  },
  {
    name: 'STLS',
    full_name: 'SpaceX South Texas Launch Site',
    locality: 'Boca Chica Village',
    region: 'Texas',
    timezone: 'America/Chicago',
    latitude: 25.9972641,
    longitude: -97.1560845,
    status: 'under construction',
    rockets: [ROCKET.starship],
    utcOffsetHours: -6,
    usDaylightSaving: true,
    westCoast: false,
    details: "SpaceX's new private launch site currently under construction in Boca Chica Village.",
  },
  {
    name: 'Kwajalein Atoll',
    full_name: 'Kwajalein Atoll Omelek Island',
    locality: 'Omelek Island',
    region: 'Marshall Islands',
    timezone: 'Pacific/Kwajalein',
    latitude: 9.0477206,
    longitude: 167.7431292,
    status: 'retired',
    rockets: [ROCKET.falcon1],
    utcOffsetHours: 12,
    usDaylightSaving: false,
    westCoast: true,
    details: "SpaceX's original pad, where all of the Falcon 1's flew from.",
  },
  {
    name: 'VAFB SLC 4E',
    full_name: 'Vandenberg Space Force Base Space Launch Complex 4E',
    locality: 'Vandenberg Space Force Base',
    region: 'California',
    timezone: 'America/Los_Angeles',
    latitude: 34.632093,
    longitude: -120.610829,
    status: 'active',
    rockets: [ROCKET.falcon9],
    utcOffsetHours: -8,
    usDaylightSaving: true,
    westCoast: true,
    details: "SpaceX's primary west coast launch pad for polar orbits and sun-synchronous orbits.",
  },
  {
    name: 'KSC LC 39A',
    full_name: 'Kennedy Space Center Historic Launch Complex 39A',
    locality: 'Cape Canaveral',
    region: 'Florida',
    timezone: 'America/New_York',
    latitude: 28.6080585,
    longitude: -80.6039558,
    status: 'active',
    rockets: [ROCKET.falcon9, ROCKET.falconHeavy],
    utcOffsetHours: -5,
    usDaylightSaving: true,
    westCoast: false,
    details: "NASA's historic pad that launched most of the Saturn V and Space Shuttle missions, leased by SpaceX.",
  },
];

const LANDPAD = { lz1: 0, lz2: 1, lz4: 2, jrti1: 3, ocisly: 4, jrti: 5, asog: 6 } as const;

const LANDPADS: readonly Omit<Landpad, 'images' | 'landing_attempts' | 'landing_successes' | 'launches' | 'id'>[] = [
  {
    name: 'LZ-1',
    full_name: 'Landing Zone 1',
    status: 'active',
    type: 'RTLS',
    locality: 'Cape Canaveral',
    region: 'Florida',
    latitude: 28.485833,
    longitude: -80.544444,
    wikipedia: 'https://en.wikipedia.org/wiki/Landing_Zones_1_and_2',
    details: "SpaceX's first east coast landing pad, on the former LC-13.",
  },
  {
    name: 'LZ-2',
    full_name: 'Landing Zone 2',
    status: 'active',
    type: 'RTLS',
    locality: 'Cape Canaveral',
    region: 'Florida',
    latitude: 28.485833,
    longitude: -80.544444,
    wikipedia: 'https://en.wikipedia.org/wiki/Landing_Zones_1_and_2',
    details: 'Added to LC-13 to allow both Falcon Heavy side boosters to land at the Cape.',
  },
  {
    name: 'LZ-4',
    full_name: 'Landing Zone 4',
    status: 'active',
    type: 'RTLS',
    locality: 'Vandenberg Space Force Base',
    region: 'California',
    latitude: 34.632989,
    longitude: -120.615167,
    wikipedia: 'https://en.wikipedia.org/wiki/Vandenberg_AFB_Space_Launch_Complex_4#LZ-4_landing_history',
    details: "SpaceX's west coast landing pad, on the former SLC-4W.",
  },
  {
    name: 'JRTI-1',
    full_name: 'Just Read The Instructions V1',
    status: 'retired',
    type: 'ASDS',
    locality: 'Port of Los Angeles',
    region: 'California',
    latitude: 33.7291858,
    longitude: -118.262015,
    wikipedia: 'https://en.wikipedia.org/wiki/Autonomous_spaceport_drone_ship',
    details: 'The first droneship, retired after a single landing attempt.',
  },
  {
    name: 'OCISLY',
    full_name: 'Of Course I Still Love You',
    status: 'active',
    type: 'ASDS',
    locality: 'Port of Long Beach',
    region: 'California',
    latitude: 33.7291858,
    longitude: -118.262015,
    wikipedia: 'https://en.wikipedia.org/wiki/Autonomous_spaceport_drone_ship',
    details: 'The second droneship, named after a ship in the Culture novels.',
  },
  {
    name: 'JRTI',
    full_name: 'Just Read The Instructions',
    status: 'active',
    type: 'ASDS',
    locality: 'Port Canaveral',
    region: 'Florida',
    latitude: 28.4104,
    longitude: -80.6188,
    wikipedia: 'https://en.wikipedia.org/wiki/Autonomous_spaceport_drone_ship',
    details: 'The rebuilt droneship that supports east coast landings.',
  },
  {
    name: 'ASOG',
    full_name: 'A Shortfall of Gravitas',
    status: 'active',
    type: 'ASDS',
    locality: 'Port Canaveral',
    region: 'Florida',
    latitude: 28.4104,
    longitude: -80.6188,
    wikipedia: 'https://en.wikipedia.org/wiki/A_Shortfall_of_Gravitas',
    details: 'The newest droneship, built for the busy east coast cadence.',
  },
];

const feet = (meters: number): number => round(meters * 3.28084 * 10) / 10;
const lb = (kg: number): number => round(kg * 2.20462);
const lbf = (kN: number): number => round(kN * 224.809);
const thrust = (kN: number): Thrust => ({ kN, lbf: lbf(kN) });
const measure = (meters: number | null): Measure => ({ meters, feet: meters === null ? null : feet(meters) });
const weight = (id: string, name: string, kg: number) => ({ id, name, kg, lb: lb(kg) });

interface RocketFacts {
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

const ROCKETS: readonly RocketFacts[] = [
  {
    name: 'Falcon 1',
    active: false,
    stages: 2,
    boosters: 0,
    cost: 6_700_000,
    successPct: 40,
    firstFlight: '2006-03-24',
    height: 22.25,
    diameter: 1.68,
    massKg: 30_146,
    legs: 0,
    engines: 1,
    engineType: 'merlin',
    engineVersion: '1C',
    thrustSeaLevel: 420,
    thrustVacuum: 480,
    ispSeaLevel: 267,
    ispVacuum: 304,
    payloadLeoKg: 450,
    propellant1: 'liquid oxygen',
    propellant2: 'RP-1 kerosene',
    thrustToWeight: 96,
    description: 'The Falcon 1 was an expendable launch system privately developed and manufactured by SpaceX during 2006-2009.',
    wikipedia: 'https://en.wikipedia.org/wiki/Falcon_1',
  },
  {
    name: 'Falcon 9',
    active: true,
    stages: 2,
    boosters: 0,
    cost: 50_000_000,
    successPct: 98,
    firstFlight: '2010-06-04',
    height: 70,
    diameter: 3.7,
    massKg: 549_054,
    legs: 4,
    engines: 9,
    engineType: 'merlin',
    engineVersion: '1D+',
    thrustSeaLevel: 845,
    thrustVacuum: 914,
    ispSeaLevel: 288,
    ispVacuum: 312,
    payloadLeoKg: 22_800,
    propellant1: 'liquid oxygen',
    propellant2: 'RP-1 kerosene',
    thrustToWeight: 180.1,
    description:
      'Falcon 9 is a two-stage rocket designed and manufactured by SpaceX for the reliable and safe transport of satellites and the Dragon spacecraft into orbit.',
    wikipedia: 'https://en.wikipedia.org/wiki/Falcon_9',
  },
  {
    name: 'Falcon Heavy',
    active: true,
    stages: 2,
    boosters: 2,
    cost: 90_000_000,
    successPct: 100,
    firstFlight: '2018-02-06',
    height: 70,
    diameter: 12.2,
    massKg: 1_420_788,
    legs: 12,
    engines: 27,
    engineType: 'merlin',
    engineVersion: '1D+',
    thrustSeaLevel: 845,
    thrustVacuum: 914,
    ispSeaLevel: 288,
    ispVacuum: 312,
    payloadLeoKg: 63_800,
    propellant1: 'liquid oxygen',
    propellant2: 'RP-1 kerosene',
    thrustToWeight: 180.1,
    description:
      'With the ability to lift into orbit over 54 metric tons (119,000 lb)--a mass equivalent to a 737 jetliner loaded with passengers, crew, luggage and fuel--Falcon Heavy can lift more than twice the payload of the next closest operational vehicle.',
    wikipedia: 'https://en.wikipedia.org/wiki/Falcon_Heavy',
  },
  {
    name: 'Starship',
    active: true,
    stages: 2,
    boosters: 0,
    cost: 7_000_000,
    successPct: 0,
    firstFlight: '2021-12-01',
    height: 118,
    diameter: 9,
    massKg: 1_335_000,
    legs: 6,
    engines: 37,
    engineType: 'raptor',
    engineVersion: '',
    thrustSeaLevel: 1780,
    thrustVacuum: 1960,
    ispSeaLevel: 330,
    ispVacuum: 380,
    payloadLeoKg: 100_000,
    propellant1: 'liquid oxygen',
    propellant2: 'liquid methane',
    thrustToWeight: 107,
    description:
      'Starship and Super Heavy Rocket represent a fully reusable transportation system designed to service all Earth orbit needs as well as the Moon and Mars.',
    wikipedia: 'https://en.wikipedia.org/wiki/Starship_development_history',
  },
];

// ---------------------------------------------------------------------------------------------
// Missions: what a launch carries decides its name, payloads, fairings and landings.

type Mission = 'falcon1' | 'demo' | 'starlink' | 'cargo' | 'crew' | 'comsat' | 'rideshare' | 'government' | 'science' | 'starship';

const FALCON1_NAMES = ['FalconSat', 'DemoSat', 'Trailblazer', 'RatSat', 'RazakSat'];
const COMSAT_OPERATORS: readonly (readonly [string, string])[] = [
  ['SES', 'Luxembourg'],
  ['Intelsat', 'United States'],
  ['Eutelsat', 'France'],
  ['Thaicom', 'Thailand'],
  ['JCSAT', 'Japan'],
  ['Turksat', 'Turkey'],
  ['Nusantara', 'Indonesia'],
  ['Inmarsat', 'United Kingdom'],
  ['KoreaSat', 'Republic of Korea'],
  ['Amazonas', 'Spain'],
];
const GOVERNMENT_PROGRAMS = ['NROL', 'GPS III SV', 'USSF', 'SARah', 'ANASIS'];
const SCIENCE_MISSIONS = ['DART', 'IXPE', 'TESS', 'SWOT', 'CHEOPS', 'Sentinel'];
const SATELLITE_MAKERS = ['Boeing', 'Maxar', 'Thales Alenia Space', 'Airbus Defence and Space', 'Orbital ATK', 'Lockheed Martin'];
/** Names with quotes and apostrophes: a loader that builds SQL by concatenation breaks on them. */
const QUOTED_NAMES = ['"Bandwagon" Rideshare', "Tom's Sat", "O'Neill Station", 'Let\'s "Go"'];
const FAILURE_REASONS = [
  'merlin engine failure',
  'harmonic oscillation leading to premature engine shutdown',
  'residual stage-1 thrust led to collision between stage 1 and stage 2',
  'helium tank overpressure lead to the second stage LOX tank explosion',
  "premature engine shutdown; the vehicle's second stage never reached orbit",
];
const CREW_ROLES = ['Commander', 'Pilot', 'Mission Specialist', 'Mission Specialist'];

/** Share of the past timeline flown by Falcon 1 in the real data (5 of 187). */
const FALCON1_SHARE = 5 / 187;
const CORE_POOL_DIVISOR = 5;
const SHIP_POOL = 24;
const CAPSULE_POOL = 16;

/** Share of launches per mission once its era has begun; the rest are commercial satellites. */
const MISSION_SHARES: readonly (readonly [Mission, number, number])[] = [
  ['starlink', 0.45, ERA.starlink],
  ['cargo', 0.08, ERA.firstCargo],
  ['crew', 0.05, ERA.crew],
  ['rideshare', 0.05, ERA.rideshare],
  ['government', 0.08, 0],
  ['science', 0.05, 0],
];

/** Where in the past the guaranteed quirks sit, as fractions of the past launches. */
const QUIRK_AT = {
  noPayloads: 0.29,
  quotedName: 0.37,
  staticFireAfterLaunch: 0.47,
  unknownOutcome: 0.61,
  dragon: 0.71,
  sixteenPayloads: 0.83,
} as const;
type Quirk = keyof typeof QUIRK_AT;

interface Profile {
  rocket: RocketKey;
  pad: number;
  mission: Mission;
  baseMs: number;
  payloads: number;
}

export class ReplayDataset {
  readonly size: number;
  readonly seed: number;
  readonly upcomingAtStart: number;
  readonly payloadCount: number;
  /** Launches already flown at tick 0 (P0). */
  private readonly pastAtStart: number;
  private readonly falcon1Flights: number;
  private readonly hash: Hasher;
  /** payloadStart[i] = index of launch i's first payload; payloadStart[size] = payloadCount. */
  private readonly payloadStart: Int32Array;
  private readonly rocketIds: string[];
  private readonly padIds: string[];
  private readonly landpadIds: string[];
  private readonly idMasks: number[];
  private readonly quirkIndexes: Record<Quirk, number>;
  private currentTick = 0;
  private padsKept: { tick: number; docs: Map<string, unknown[]> } = { tick: -1, docs: new Map() };

  constructor(options: DatasetOptions) {
    if (!isInteger(options.launches) || options.launches < 0) throw new RangeError('launches must be a non-negative integer');
    this.size = options.launches;
    this.seed = options.seed ?? 42;
    const upcoming = options.upcoming ?? min(18, round(this.size / 10));
    if (!isInteger(upcoming) || upcoming < 0) throw new RangeError('upcoming must be a non-negative integer');
    this.upcomingAtStart = min(upcoming, this.size);
    this.pastAtStart = this.size - this.upcomingAtStart;
    this.falcon1Flights = this.pastAtStart === 0 ? 0 : max(1, round(this.pastAtStart * FALCON1_SHARE));
    this.hash = new Hasher(this.seed);
    // Below 10 past launches the fixed positions would collide; small sets rely on chance alone.
    const past = this.pastAtStart;
    this.quirkIndexes = Object.fromEntries(
      Object.entries(QUIRK_AT).map(([quirk, at]) => [quirk, past >= 10 ? floor(past * at) : -1]),
    ) as Record<Quirk, number>;
    this.idMasks = Object.values(KIND).map((kind) => this.hash.int(S.idMask, kind));
    this.rocketIds = ROCKETS.map((_, r) => this.objectId(KIND.rocket, r));
    this.padIds = PADS.map((_, p) => this.objectId(KIND.launchpad, p));
    this.landpadIds = LANDPADS.map((_, p) => this.objectId(KIND.landpad, p));
    this.payloadStart = new Int32Array(this.size + 1);
    for (let i = 0; i < this.size; i++) this.payloadStart[i + 1] = this.payloadStart[i] + this.profile(i).payloads;
    this.payloadCount = this.payloadStart[this.size];
  }

  get tick(): number {
    return this.currentTick;
  }

  /** Moves the simulated clock: each tick the next upcoming launch flies. Returns the new tick. */
  advance(n = 1): number {
    if (!isInteger(n) || n < 0) throw new RangeError('ticks must be a non-negative integer');
    this.currentTick += n;
    return this.currentTick;
  }

  /** Ticks after the last launch flew change nothing; responses are identical from then on. */
  effectiveTick(tick = this.currentTick): number {
    return min(tick, this.upcomingAtStart);
  }

  pastCount(tick = this.currentTick): number {
    return min(this.size, this.pastAtStart + tick);
  }

  /** Index of the past launch with the highest flight_number, or -1 when none has flown. */
  latestIndex(tick = this.currentTick): number {
    return this.pastCount(tick) - 1;
  }

  /** Index of the first upcoming launch, or -1 when all have flown. */
  nextIndex(tick = this.currentTick): number {
    const past = this.pastCount(tick);
    return past < this.size ? past : -1;
  }

  launchId(i: number): string {
    return this.objectId(KIND.launch, i);
  }

  payloadId(k: number): string {
    return this.objectId(KIND.payload, k);
  }

  /** Launch index for an id, or -1 (O(1): the index is encoded in the id). */
  launchIndexOf(id: string): number {
    return this.indexOf(KIND.launch, id, this.size);
  }

  payloadIndexOf(id: string): number {
    return this.indexOf(KIND.payload, id, this.payloadCount);
  }

  /** Payload indexes [start, end) carried by launch i. */
  payloadRange(i: number): [number, number] {
    return [this.payloadStart[i], this.payloadStart[i + 1]];
  }

  /** Launch index carrying payload k (binary search over the payload offsets). */
  launchOfPayload(k: number): number {
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.payloadStart[mid] <= k) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** date_utc of launch i at a tick, in ms: its base date plus the slips it accumulated. */
  launchDateMs(i: number, tick = this.currentTick): number {
    return this.baseDateMs(i) + this.slipMs(i, tick);
  }

  /**
   * Slip of launch i at a tick. At each tick up to and including the one it flies, an upcoming
   * launch may slip by 1-72 h; afterwards the date is frozen. Non-decreasing in the tick.
   */
  slipMs(i: number, tick = this.currentTick): number {
    if (i < this.pastAtStart) return 0;
    const flightTick = i - this.pastAtStart + 1;
    const last = min(tick, flightTick);
    let hours = 0;
    for (let s = max(1, flightTick - SLIP_WINDOW_TICKS + 1); s <= last; s++) {
      if (this.hash.unit(S.slip, i, s) < SLIP_PROBABILITY) hours += 1 + (this.hash.int(S.slipHours, i, s) % MAX_SLIP_HOURS);
    }
    return hours * HOUR;
  }

  launch(i: number, tick = this.currentTick): Launch {
    if (!isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`no launch ${i}`);
    return this.buildLaunch(i, tick);
  }

  *launches(tick = this.currentTick): IterableIterator<Launch> {
    for (let i = 0; i < this.size; i++) yield this.buildLaunch(i, tick);
  }

  payload(k: number): Payload {
    if (!isInteger(k) || k < 0 || k >= this.payloadCount) throw new RangeError(`no payload ${k}`);
    const i = this.launchOfPayload(k);
    return this.buildPayload(i, k - this.payloadStart[i], this.profile(i));
  }

  payloadsOfLaunch(i: number): Payload[] {
    const profile = this.profile(i);
    return Array.from({ length: profile.payloads }, (_, j) => this.buildPayload(i, j, profile));
  }

  rockets(): Rocket[] {
    return ROCKETS.map((facts, r) => this.buildRocket(facts, r));
  }

  /** Launch counts cover launches flown at the tick; a scan of cheap per-index facts, no documents. */
  launchpads(tick = this.currentTick): Launchpad[] {
    return this.keptForTick('launchpads', tick, () => this.buildLaunchpads(tick));
  }

  landpads(tick = this.currentTick): Landpad[] {
    return this.keptForTick('landpads', tick, () => this.buildLandpads(tick));
  }

  /**
   * Pads of the latest tick asked for, kept: each lists every launch flown from it, so building
   * them scans the whole history (2.5 s at a million launches), and a backfill asks for them one
   * page at a time. Callers share the documents and never change them.
   */
  private keptForTick<T>(name: 'launchpads' | 'landpads', tick: number, build: () => T[]): T[] {
    if (this.padsKept.tick !== tick) this.padsKept = { tick, docs: new Map() };
    let docs = this.padsKept.docs.get(name);
    if (!docs) this.padsKept.docs.set(name, (docs = build()));
    return docs as T[];
  }

  private buildLaunchpads(tick: number): Launchpad[] {
    const launches: string[][] = PADS.map(() => []);
    const successes = PADS.map(() => 0);
    for (let i = 0; i < this.pastCount(tick); i++) {
      const pad = this.profile(i).pad;
      launches[pad].push(this.launchId(i));
      if (this.outcome(i, true) === true) successes[pad]++;
    }
    return PADS.map((pad, p) => ({
      images: { large: [`https://i.imgur.com/${this.linkCode(KIND.launchpad, p)}.png`] },
      name: pad.name,
      full_name: pad.full_name,
      locality: pad.locality,
      region: pad.region,
      timezone: pad.timezone,
      latitude: pad.latitude,
      longitude: pad.longitude,
      launch_attempts: launches[p].length,
      launch_successes: successes[p],
      rockets: pad.rockets.map((r) => this.rocketIds[r]),
      launches: launches[p],
      details: pad.details,
      status: pad.status,
      id: this.padIds[p],
    }));
  }

  private buildLandpads(tick: number): Landpad[] {
    const launches: string[][] = LANDPADS.map(() => []);
    const attempts = LANDPADS.map(() => 0);
    const successes = LANDPADS.map(() => 0);
    for (let i = 0; i < this.pastCount(tick); i++) {
      const profile = this.profile(i);
      for (let c = 0; c < coreCount(profile.rocket); c++) {
        const landing = this.landing(i, c, profile, true);
        if (landing.landpad < 0) continue;
        attempts[landing.landpad]++;
        if (landing.success) successes[landing.landpad]++;
        const id = this.launchId(i);
        const list = launches[landing.landpad];
        if (list[list.length - 1] !== id) list.push(id);
      }
    }
    return LANDPADS.map((pad, p) => ({
      images: { large: [`https://i.imgur.com/${this.linkCode(KIND.landpad, p)}.png`] },
      ...pad,
      landing_attempts: attempts[p],
      landing_successes: successes[p],
      launches: launches[p],
      id: this.landpadIds[p],
    }));
  }

  // -------------------------------------------------------------------------------------------
  // ids

  /** ObjectId-looking: 8 hex of plausible timestamp, 8 hex of hash, 8 hex of (index xor kind mask). */
  private objectId(kind: Kind, index: number): string {
    const stamp = 0x5e000000 + (this.hash.int(S.idStamp + 100 * kind, index) % 0x05000000);
    return hex8(stamp) + hex8(this.hash.int(S.id + 100 * kind, index)) + hex8((index ^ this.idMasks[kind - 1]) >>> 0);
  }

  private indexOf(kind: Kind, id: string, count: number): number {
    if (typeof id !== 'string' || !/^[0-9a-f]{24}$/.test(id)) return -1;
    const index = (parseInt(id.slice(16), 16) ^ this.idMasks[kind - 1]) >>> 0;
    return index < count && this.objectId(kind, index) === id ? index : -1;
  }

  private linkCode(kind: Kind, index: number, extra = 0): string {
    return hex8(this.hash.int(S.links + 100 * kind, index, extra));
  }

  // -------------------------------------------------------------------------------------------
  // per-launch facts that do not depend on the tick

  private isQuirk(i: number, quirk: Quirk): boolean {
    return i === this.quirkIndexes[quirk];
  }

  /** Base date: past launches spread 2006-2022 (denser towards the end, like the real cadence); upcoming ones follow every few days. */
  private baseDateMs(i: number): number {
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

  private profile(i: number): Profile {
    const baseMs = this.baseDateMs(i);
    const rocket = this.rocketOf(i, baseMs);
    const mission = this.missionOf(i, rocket, baseMs);
    return { rocket, pad: this.padOf(i, rocket, baseMs), mission, baseMs, payloads: this.payloadCountOf(i, mission) };
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
    for (const [mission, share, since] of MISSION_SHARES) {
      if (baseMs < since) continue;
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

  /** success at a given state: null while upcoming and for a few past launches (real data has that). */
  private outcome(i: number, past: boolean): boolean | null {
    if (!past) return null;
    const u = this.hash.unit(S.success, i);
    if (this.isQuirk(i, 'unknownOutcome') || u < 0.01) return null;
    if (i < this.falcon1Flights && i < 3) return false; // Falcon 1's first three flights failed
    return u >= 0.04;
  }

  // -------------------------------------------------------------------------------------------
  // launch document

  private buildLaunch(i: number, tick: number): Launch {
    const profile = this.profile(i);
    const past = i < this.pastCount(tick);
    const dateMs = profile.baseMs + this.slipMs(i, tick);
    const pad = PADS[profile.pad];
    const flightNumber = i + 1;
    const name = this.launchName(i, profile, flightNumber);
    const success = this.outcome(i, past);
    const staticFireMs = this.staticFireMs(i, past, dateMs);
    const [firstPayload, endPayload] = this.payloadRange(i);
    const payloads: string[] = [];
    for (let k = firstPayload; k < endPayload; k++) payloads.push(this.payloadId(k));
    const id = this.launchId(i);
    const stepsAhead = i - this.pastCount(tick);
    const precision = past
      ? this.hash.unit(S.precision, i) < 0.05
        ? 'day'
        : 'hour'
      : upcomingPrecision(stepsAhead, this.hash.unit(S.precision, i));
    const coarse = precision !== 'hour' && precision !== 'day';
    return {
      fairings: this.fairings(i, profile, past),
      links: this.links(i, name, past, dateMs),
      static_fire_date_utc: staticFireMs === null ? null : iso(staticFireMs),
      static_fire_date_unix: staticFireMs === null ? null : floor(staticFireMs / 1000),
      net: !past && coarse,
      window: this.launchWindow(i, past, stepsAhead),
      rocket: this.rocketIds[profile.rocket],
      success,
      failures: success === false ? [this.failure(i)] : [],
      details: this.details(i, profile, name, past),
      crew:
        profile.mission === 'crew'
          ? CREW_ROLES.map((role, j) => ({ crew: this.objectId(KIND.crew, i * CREW_ROLES.length + j), role }))
          : [],
      ships: this.ships(i, past, profile.baseMs),
      capsules: isDragon(profile.mission) ? [this.capsuleId(i, profile.mission)] : [],
      payloads,
      launchpad: this.padIds[profile.pad],
      flight_number: flightNumber,
      name,
      date_utc: iso(dateMs),
      date_unix: floor(dateMs / 1000),
      date_local: localIso(dateMs, pad),
      date_precision: precision,
      upcoming: !past,
      cores: this.cores(i, profile, past),
      auto_update: true,
      tbd: !past && stepsAhead >= 6,
      launch_library_id: profile.baseMs >= ERA.launchLibrary ? this.uuid(i) : null,
      id,
    };
  }

  /** Unique: each name ends with the flight number, after a prefix no other mission uses. */
  private launchName(i: number, profile: Profile, flightNumber: number): string {
    if (this.isQuirk(i, 'quotedName') || this.hash.unit(S.name, i) < 0.02) {
      return `${this.hash.pick(QUOTED_NAMES, S.name, i, 1)}-${flightNumber}`;
    }
    switch (profile.mission) {
      case 'falcon1':
        return FALCON1_NAMES[i] ?? `Falcon 1 Flight ${flightNumber}`;
      case 'demo':
        return this.hash.unit(S.name, i, 2) < 0.5 ? `Falcon 9 Test Flight ${flightNumber}` : `COTS Demo Flight ${flightNumber}`;
      case 'starlink':
        return profile.baseMs < ERA.starlinkV15 ? `Starlink-${flightNumber} (v1.0)` : `Starlink 4-${flightNumber} (v1.5)`;
      case 'cargo':
        return `CRS-${flightNumber}`;
      case 'crew':
        return `Crew-${flightNumber}`;
      case 'comsat':
        return `${this.comsatOperator(i)[0]}-${flightNumber}`;
      case 'rideshare':
        return `Transporter-${flightNumber}`;
      case 'government':
        return `${this.hash.pick(GOVERNMENT_PROGRAMS, S.name, i, 3)}-${flightNumber}`;
      case 'science':
        return `${this.hash.pick(SCIENCE_MISSIONS, S.name, i, 4)}-${flightNumber}`;
      case 'starship':
        return `Starship Flight ${flightNumber}`;
    }
  }

  private comsatOperator(i: number): readonly [string, string] {
    return this.hash.pick(COMSAT_OPERATORS, S.name, i, 5);
  }

  /** Null for ~40% of flown launches; a few are dated after the launch (a real data error). */
  private staticFireMs(i: number, past: boolean, dateMs: number): number | null {
    if (!past) return null;
    const u = this.hash.unit(S.staticFire, i);
    const hours = this.hash.int(S.staticFire, i, 1);
    if (this.isQuirk(i, 'staticFireAfterLaunch') || (u >= 0.4 && u < 0.41)) return dateMs + (24 + (hours % (20 * 24))) * HOUR;
    if (u < 0.4) return null;
    return dateMs - (24 + (hours % (13 * 24))) * HOUR;
  }

  private launchWindow(i: number, past: boolean, stepsAhead: number): number | null {
    if (!past && stepsAhead >= 3) return null;
    const u = this.hash.unit(S.window, i);
    if (u < 0.1) return null;
    if (u < 0.5) return 0;
    return [600, 1800, 3600, 7200, 14400][this.hash.int(S.window, i, 1) % 5];
  }

  private failure(i: number): Launch['failures'][number] {
    return {
      time: 25 + (this.hash.int(S.failure, i) % 600),
      altitude: this.hash.unit(S.failure, i, 1) < 0.3 ? null : this.hash.int(S.failure, i, 2) % 300,
      reason: this.hash.pick(FAILURE_REASONS, S.failure, i, 3),
    };
  }

  private details(i: number, profile: Profile, name: string, past: boolean): string | null {
    const u = this.hash.unit(S.details, i);
    if (u < (past ? 0.45 : 0.7)) return null;
    const rocket = ROCKETS[profile.rocket].name;
    const pad = PADS[profile.pad].name;
    const templates = [
      `SpaceX's ${rocket} launches ${name} from ${pad}.`,
      `The "${name}" mission carries ${profile.payloads} payload(s) on ${rocket}.`,
      `${rocket} will fly ${name}; it's the customer's first flight with SpaceX.`,
      `Following a static fire at ${pad}, ${name} lifted off on the booster's latest flight.`,
    ];
    return templates[this.hash.int(S.details, i, 1) % templates.length];
  }

  /** Null for Dragon missions (no fairing) and a few others. */
  private fairings(i: number, profile: Profile, past: boolean): Launch['fairings'] {
    if (isDragon(profile.mission) || this.hash.unit(S.fairings, i) < 0.03) return null;
    if (!past) return { reused: null, recovery_attempt: null, recovered: null, ships: [] };
    const attempt = profile.baseMs >= ERA.reflights && this.hash.unit(S.fairings, i, 1) < 0.6;
    const recovered = attempt && this.hash.unit(S.fairings, i, 2) < 0.7;
    return {
      reused: profile.baseMs >= ERA.fairingReuse && this.hash.unit(S.fairings, i, 3) < 0.5,
      recovery_attempt: attempt,
      recovered,
      ships: recovered ? [this.objectId(KIND.ship, this.hash.int(S.ships, i, 9) % SHIP_POOL)] : [],
    };
  }

  private ships(i: number, past: boolean, baseMs: number): string[] {
    if (!past || baseMs < ERA.recoveryFleet) return [];
    const count = this.hash.int(S.ships, i) % 4;
    const first = this.hash.int(S.ships, i, 1) % SHIP_POOL;
    const ships: string[] = [];
    for (let j = 0; j < count; j++) ships.push(this.objectId(KIND.ship, (first + j) % SHIP_POOL));
    return ships;
  }

  private capsuleId(i: number, mission: Mission): string {
    const pool = mission === 'crew' ? CAPSULE_POOL : 0;
    return this.objectId(KIND.capsule, pool + (this.hash.int(S.capsule, i) % CAPSULE_POOL));
  }

  /** Landing facts of core c; landpad is an index into LANDPADS or -1. */
  private landing(
    i: number,
    c: number,
    profile: Profile,
    past: boolean,
  ): { attempt: boolean; type: LaunchCore['landing_type']; landpad: number; success: boolean | null } {
    const none = { attempt: false, type: null, landpad: -1, success: null };
    const ms = profile.baseMs;
    if (profile.rocket === ROCKET.falcon1 || profile.rocket === ROCKET.starship || ms < ERA.oceanLandings) return none;
    const u = this.hash.unit(S.landing, i, c + 1);
    const success = past ? this.hash.unit(S.landing, i, c + 11) < 0.93 : null;
    if (ms < ERA.landings) return u < 0.5 ? { attempt: true, type: 'Ocean', landpad: -1, success } : none;
    if (u >= (profile.mission === 'comsat' ? 0.75 : 0.95)) return none;
    const west = PADS[profile.pad].westCoast;
    const sideBooster = c > 0;
    const returnToSite =
      sideBooster ||
      ((profile.mission === 'cargo' || profile.mission === 'rideshare' || profile.mission === 'crew') &&
        this.hash.unit(S.landing, i, c + 21) < 0.6);
    if (returnToSite) {
      const landpad = west
        ? LANDPAD.lz4
        : c === 2 || (ms >= ERA.newDroneships && this.hash.unit(S.landing, i, c + 31) < 0.5)
          ? LANDPAD.lz2
          : LANDPAD.lz1;
      return { attempt: true, type: 'RTLS', landpad, success };
    }
    const droneship = west
      ? ms < ERA.newDroneships
        ? LANDPAD.jrti1
        : LANDPAD.ocisly
      : ms < ERA.newDroneships
        ? LANDPAD.ocisly
        : this.hash.unit(S.landing, i, c + 41) < 0.5
          ? LANDPAD.jrti
          : LANDPAD.asog;
    return { attempt: true, type: 'ASDS', landpad: droneship, success };
  }

  private cores(i: number, profile: Profile, past: boolean): LaunchCore[] {
    const cores: LaunchCore[] = [];
    for (let c = 0; c < coreCount(profile.rocket); c++) cores.push(this.core(i, c, profile, past));
    return cores;
  }

  private core(i: number, c: number, profile: Profile, past: boolean): LaunchCore {
    const landing = this.landing(i, c, profile, past);
    const modern = profile.baseMs >= ERA.gridfins && profile.rocket !== ROCKET.falcon1;
    const reused = profile.baseMs >= ERA.reflights && this.hash.unit(S.core, i, c + 1) < (past ? 0.6 : 0.8);
    const assigned = past || this.hash.unit(S.core, i, c + 11) < 0.6;
    const corePool = max(8, ceil(this.size / CORE_POOL_DIVISOR));
    return {
      core: assigned ? this.objectId(KIND.core, this.hash.int(S.core, i, c + 21) % corePool) : null,
      flight: assigned ? (reused ? 2 + (this.hash.int(S.core, i, c + 31) % 12) : 1) : null,
      gridfins: modern,
      legs: modern,
      reused: assigned ? reused : null,
      landing_attempt: landing.attempt,
      landing_success: landing.success,
      landing_type: landing.type,
      landpad: landing.landpad < 0 ? null : this.landpadIds[landing.landpad],
    };
  }

  private links(i: number, name: string, past: boolean, dateMs: number): LaunchLinks {
    if (!past) {
      return {
        patch: { small: null, large: null },
        reddit: { campaign: null, launch: null, media: null, recovery: null },
        flickr: { small: [], original: [] },
        presskit: null,
        webcast: null,
        youtube_id: null,
        article: null,
        wikipedia: null,
      };
    }
    // One draw decides which optional links exist: 4 bits (a sixteenth each) per link.
    const presence = this.hash.int(S.links, i);
    const has = (slot: number, sixteenths: number) => ((presence >>> (4 * slot)) & 15) < sixteenths;
    const code = (k: number) => this.linkCode(KIND.launch, i, k);
    const reddit = dateMs >= ERA.redditThreads && has(0, 9);
    const youtubeId = code(1) + code(2).slice(0, 3);
    const date = iso(dateMs);
    const photos = dateMs >= ERA.flickrAlbums && has(1, 6) ? 1 + (presence >>> 31) : 0;
    const original: string[] = [];
    for (let p = 0; p < photos; p++) original.push(`https://live.staticflickr.com/65535/${code(10 + p)}_o.jpg`);
    return {
      patch: { small: `https://images2.imgbox.com/${code(3)}_o.png`, large: `https://images2.imgbox.com/${code(4)}_o.png` },
      reddit: {
        campaign: reddit ? `https://www.reddit.com/r/spacex/comments/${code(5)}` : null,
        launch: reddit && has(2, 12) ? `https://www.reddit.com/r/spacex/comments/${code(6)}` : null,
        media: reddit && has(3, 4) ? `https://www.reddit.com/r/spacex/comments/${code(7)}` : null,
        recovery: null,
      },
      flickr: { small: [], original },
      presskit: has(4, 8) ? `https://www.spacex.com/media/press_kit_${code(8)}.pdf` : null,
      webcast: `https://youtu.be/${youtubeId}`,
      youtube_id: youtubeId,
      article: has(5, 12)
        ? `https://spaceflightnow.com/${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/launch-${i + 1}/`
        : null,
      wikipedia: has(6, 8) ? `https://en.wikipedia.org/wiki/${encodeUri(name.replace(/ /g, '_'))}` : null,
    };
  }

  private uuid(i: number): string {
    const h =
      hex8(this.hash.int(S.libraryId, i, 1)) +
      hex8(this.hash.int(S.libraryId, i, 2)) +
      hex8(this.hash.int(S.libraryId, i, 3)) +
      hex8(this.hash.int(S.libraryId, i, 4));
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  // -------------------------------------------------------------------------------------------
  // payload document

  private buildPayload(i: number, j: number, profile: Profile): Payload {
    const k = this.payloadStart[i] + j;
    const flown = i < this.pastAtStart && this.outcome(i, true) !== false;
    const spec = payloadSpec(profile.mission, profile.baseMs, this.hash.int(S.payload, k));
    const massKg = spec.massKg === null || this.hash.unit(S.mass, k) < 0.13 ? null : spec.massKg(this.hash.unit(S.mass, k, 1));
    const orbit = flown && this.hash.unit(S.orbit, k) < 0.7 ? this.orbitalElements(k, spec.orbit, profile.baseMs) : null;
    return {
      dragon: this.dragon(i, profile, flown),
      name: spec.name(this.launchName(i, profile, i + 1), j, profile.payloads),
      type: spec.type,
      reused: profile.mission === 'cargo' && profile.baseMs >= ERA.dragonReuse && this.hash.unit(S.payload, k, 1) < 0.5,
      launch: this.launchId(i),
      customers: [spec.customer ?? this.comsatOperator(i)[0]],
      norad_ids: flown ? [20_000 + k] : [],
      nationalities: [spec.customer === null ? this.comsatOperator(i)[1] : 'United States'],
      manufacturers: [spec.manufacturer ?? this.hash.pick(SATELLITE_MAKERS, S.payload, k, 2)],
      mass_kg: massKg,
      mass_lbs: massKg === null ? null : lb(massKg),
      orbit: spec.orbit,
      reference_system: spec.orbit === 'ES-L1' ? 'heliocentric' : 'geocentric',
      regime: spec.regime,
      longitude: spec.orbit === 'GTO' ? round((this.hash.unit(S.orbit, k, 1) * 360 - 180) * 10) / 10 : null,
      ...(orbit ?? NO_ORBIT),
      id: this.payloadId(k),
    };
  }

  private orbitalElements(k: number, orbit: string, launchMs: number): typeof NO_ORBIT {
    const r = (n: number) => this.hash.unit(S.orbit, k, n);
    const round3 = (x: number) => round(x * 1000) / 1000;
    const high = orbit === 'GTO' || orbit === 'MEO' || orbit === 'HEO';
    const periapsis = high ? 300 + r(2) * 20_000 : 300 + r(2) * 300;
    const apoapsis = periapsis + (high ? r(3) * 20_000 : r(3) * 20);
    const semiMajor = 6378 + (periapsis + apoapsis) / 2;
    const periodMin = (2 * PI * sqrt(semiMajor ** 3 / 398_600.4418)) / 60;
    return {
      semi_major_axis_km: round3(semiMajor),
      eccentricity: round3((apoapsis - periapsis) / (2 * semiMajor)),
      periapsis_km: round3(periapsis),
      apoapsis_km: round3(apoapsis),
      inclination_deg: round3(orbit === 'VLEO' ? 53 + r(4) : r(4) * 98),
      period_min: round3(periodMin),
      lifespan_years: 1 + (this.hash.int(S.orbit, k, 5) % 15),
      epoch: iso(launchMs + (1 + (this.hash.int(S.orbit, k, 6) % 30)) * DAY),
      mean_motion: round3((24 * 60) / periodMin),
      raan: round3(r(7) * 360),
      arg_of_pericenter: round3(r(8) * 360),
      mean_anomaly: round3(r(9) * 360),
    };
  }

  private dragon(i: number, profile: Profile, flown: boolean): Dragon {
    if (!isDragon(profile.mission)) return NO_DRAGON;
    const returnedKg = flown ? 500 + (this.hash.int(S.capsule, i, 1) % 2000) : null;
    return {
      capsule: this.capsuleId(i, profile.mission),
      mass_returned_kg: returnedKg,
      mass_returned_lbs: returnedKg === null ? null : lb(returnedKg),
      flight_time_sec: flown ? 86_400 * (5 + (this.hash.int(S.capsule, i, 2) % 60)) : null,
      manifest: flown ? `https://www.nasa.gov/sites/default/files/atoms/files/manifest_${this.linkCode(KIND.capsule, i)}.pdf` : null,
      water_landing: flown ? true : null,
      land_landing: flown ? false : null,
    };
  }

  private buildRocket(facts: RocketFacts, r: number): Rocket {
    return {
      height: measure(facts.height),
      diameter: measure(facts.diameter),
      mass: { kg: facts.massKg, lb: lb(facts.massKg) },
      first_stage: {
        thrust_sea_level: thrust(facts.thrustSeaLevel * facts.engines),
        thrust_vacuum: thrust(facts.thrustVacuum * facts.engines),
        reusable: facts.legs > 0,
        engines: facts.engines,
        fuel_amount_tons: round(facts.massKg / 1400),
        burn_time_sec: facts.active ? 162 : 169,
      },
      second_stage: {
        thrust: thrust(facts.thrustVacuum),
        payloads: {
          composite_fairing: {
            height: measure(facts.boosters > 0 || facts.engines > 1 ? 13.1 : 3.5),
            diameter: measure(facts.boosters > 0 || facts.engines > 1 ? 5.2 : 1.5),
          },
          option_1: 'dragon',
        },
        reusable: facts.name === 'Starship',
        engines: 1,
        fuel_amount_tons: round(facts.massKg / 5000),
        burn_time_sec: facts.name === 'Starship' ? null : 397,
      },
      engines: {
        isp: { sea_level: facts.ispSeaLevel, vacuum: facts.ispVacuum },
        thrust_sea_level: thrust(facts.thrustSeaLevel),
        thrust_vacuum: thrust(facts.thrustVacuum),
        number: facts.engines,
        type: facts.engineType,
        version: facts.engineVersion,
        layout: facts.engines === 9 ? 'octaweb' : facts.engines === 1 ? 'single' : null,
        engine_loss_max: facts.engines >= 9 ? 2 : 0,
        propellant_1: facts.propellant1,
        propellant_2: facts.propellant2,
        thrust_to_weight: facts.thrustToWeight,
      },
      landing_legs: { number: facts.legs, material: facts.legs > 0 ? 'carbon fiber' : null },
      payload_weights: [weight('leo', 'low earth orbit', facts.payloadLeoKg)],
      flickr_images: [`https://farm1.staticflickr.com/${this.linkCode(KIND.rocket, r)}_b.jpg`],
      name: facts.name,
      type: 'rocket',
      active: facts.active,
      stages: facts.stages,
      boosters: facts.boosters,
      cost_per_launch: facts.cost,
      success_rate_pct: facts.successPct,
      first_flight: facts.firstFlight,
      country: facts.name === 'Falcon 1' ? 'Republic of the Marshall Islands' : 'United States',
      company: 'SpaceX',
      wikipedia: facts.wikipedia,
      description: facts.description,
      id: this.rocketIds[r],
    };
  }
}

const NO_DRAGON: Dragon = {
  capsule: null,
  mass_returned_kg: null,
  mass_returned_lbs: null,
  flight_time_sec: null,
  manifest: null,
  water_landing: null,
  land_landing: null,
};

const NO_ORBIT = {
  semi_major_axis_km: null as number | null,
  eccentricity: null as number | null,
  periapsis_km: null as number | null,
  apoapsis_km: null as number | null,
  inclination_deg: null as number | null,
  period_min: null as number | null,
  lifespan_years: null as number | null,
  epoch: null as string | null,
  mean_motion: null as number | null,
  raan: null as number | null,
  arg_of_pericenter: null as number | null,
  mean_anomaly: null as number | null,
};

const isDragon = (mission: Mission): boolean => mission === 'cargo' || mission === 'crew';
const coreCount = (rocket: RocketKey): number => (rocket === ROCKET.falconHeavy ? 3 : 1);

/** Upcoming dates get vaguer the further out a launch is. */
function upcomingPrecision(stepsAhead: number, u: number): DatePrecision {
  if (stepsAhead < 2) return 'hour';
  if (stepsAhead < 6) return 'day';
  if (stepsAhead < 12) return 'month';
  return u < 0.5 ? 'quarter' : 'half';
}

interface PayloadSpec {
  type: string;
  /** null: the launch's satellite operator. */
  customer: string | null;
  manufacturer: string | null;
  orbit: string;
  regime: string;
  /** Mass from a uniform draw, or null for payloads that never have a mass. */
  massKg: ((u: number) => number) | null;
  name: (launchName: string, j: number, count: number) => string;
}

const single = (launchName: string, j: number, count: number): string => (count === 1 ? launchName : `${launchName} Payload ${j + 1}`);
const between = (low: number, high: number) => (u: number) => round(low + u * (high - low));
/** Starlink launches of an era all share one mass, as in the real data (15600 kg for v1.0). */
const constant = (kg: number) => () => kg;

function payloadSpec(mission: Mission, launchMs: number, h: number): PayloadSpec {
  switch (mission) {
    case 'falcon1':
      return {
        type: 'Satellite',
        customer: 'DARPA',
        manufacturer: 'SpaceX',
        orbit: 'LEO',
        regime: 'low-earth',
        massKg: between(20, 180),
        name: single,
      };
    case 'demo':
      return {
        type: 'Dragon Qualification Unit',
        customer: 'SpaceX',
        manufacturer: 'SpaceX',
        orbit: 'LEO',
        regime: 'low-earth',
        massKg: between(500, 6000),
        name: single,
      };
    case 'starlink':
      return {
        type: 'Satellite',
        customer: 'SpaceX',
        manufacturer: 'SpaceX',
        orbit: 'VLEO',
        regime: 'very-low-earth',
        massKg: constant(launchMs < ERA.starlinkV15 ? 15_600 : 16_250),
        name: single,
      };
    case 'cargo':
      return {
        type: launchMs < ERA.dragon2 ? 'Dragon 1.1' : 'Dragon 2.0',
        customer: 'NASA (CRS)',
        manufacturer: 'SpaceX',
        orbit: 'ISS',
        regime: 'low-earth',
        massKg: between(1500, 3300),
        name: single,
      };
    case 'crew':
      return {
        type: 'Crew Dragon',
        customer: 'NASA (CCtCap)',
        manufacturer: 'SpaceX',
        orbit: 'ISS',
        regime: 'low-earth',
        massKg: constant(12_055),
        name: single,
      };
    case 'comsat':
      return {
        type: 'Satellite',
        customer: null,
        manufacturer: null,
        orbit: 'GTO',
        regime: 'geostationary',
        massKg: between(2000, 7000),
        name: single,
      };
    case 'rideshare':
      return {
        type: 'Satellite',
        customer: 'Spaceflight Industries',
        manufacturer: null,
        orbit: 'SSO',
        regime: 'sun-synchronous',
        massKg: between(10, 600),
        name: (n, j) => `${n} Payload ${j + 1}`,
      };
    case 'government':
      return {
        type: 'Satellite',
        customer: h % 2 === 0 ? 'NRO' : 'USSF',
        manufacturer: 'Lockheed Martin',
        orbit: ['MEO', 'LEO', 'PO'][h % 3],
        regime: 'low-earth',
        massKg: between(1500, 4500),
        name: single,
      };
    case 'science':
      return {
        type: 'Satellite',
        customer: 'NASA',
        manufacturer: null,
        orbit: ['HEO', 'ES-L1', 'SSO'][h % 3],
        regime: 'high-earth',
        massKg: between(300, 2500),
        name: single,
      };
    case 'starship':
      return {
        type: 'Starship test',
        customer: 'SpaceX',
        manufacturer: 'SpaceX',
        orbit: 'LEO',
        regime: 'low-earth',
        massKg: null,
        name: single,
      };
  }
}

export function createDataset(options: DatasetOptions): ReplayDataset {
  return new ReplayDataset(options);
}
