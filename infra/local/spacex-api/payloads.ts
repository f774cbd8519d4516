/** The v4 payload document of payload j of launch i. */
import { DAY, iso } from './calendar';
import { type Mission, PAYLOADS, type PayloadFacts, SATELLITE_MAKERS } from './catalogue';
import { ERA, type Era } from './history';
import { KIND } from './ids';
import { isDragon, type Profile } from './manifest';
import { STREAM as S } from './random';
import { launchName } from './launches';
import { capsuleIdOf } from './recovery';
import type { Dragon, Payload } from './types';
import type { World } from './world';

const { round, sqrt, PI } = Math;

export const lb = (kg: number): number => round(kg * 2.20462);

export function payloadDocument(w: World, i: number, j: number, profile: Profile): Payload {
  const { hash, manifest } = w;
  const k = manifest.payloadStartOf(i) + j;
  const flown = i < manifest.pastAtStart && manifest.outcome(i, true) !== false;
  const h = hash.int(S.payload, k);
  const facts = payloadFacts(profile.mission, profile.baseMs);
  const massKg = facts.massKg === null || hash.unit(S.mass, k) < 0.13 ? null : drawMass(facts.massKg, hash.unit(S.mass, k, 1));
  const orbit = facts.orbits[h % facts.orbits.length];
  const elements = flown && hash.unit(S.orbit, k) < 0.7 ? orbitalElements(w, k, orbit, profile.baseMs) : NO_ORBIT;
  const launch = launchName(w, i, profile, i + 1);
  const operator = facts.customers === null ? manifest.comsatOperator(i) : null;
  return {
    dragon: dragon(w, i, profile, flown),
    name: facts.naming === 'numbered' || profile.payloads !== 1 ? `${launch} Payload ${j + 1}` : launch,
    type: facts.type,
    reused: profile.mission === 'cargo' && profile.baseMs >= ERA.dragonReuse && hash.unit(S.payload, k, 1) < 0.5,
    launch: w.ids.objectId(KIND.launch, i),
    customers: [operator ? operator.operator : facts.customers![h % facts.customers!.length]],
    norad_ids: flown ? [20_000 + k] : [],
    nationalities: [operator ? operator.nationality : 'United States'],
    manufacturers: [
      facts.manufacturers ? facts.manufacturers[h % facts.manufacturers.length] : hash.pick(SATELLITE_MAKERS, S.payload, k, 2),
    ],
    mass_kg: massKg,
    mass_lbs: massKg === null ? null : lb(massKg),
    orbit,
    reference_system: orbit === 'ES-L1' ? 'heliocentric' : 'geocentric',
    regime: facts.regime,
    longitude: orbit === 'GTO' ? round((hash.unit(S.orbit, k, 1) * 360 - 180) * 10) / 10 : null,
    ...elements,
    id: w.ids.objectId(KIND.payload, k),
  };
}

/** A mission's payload facts, with the changes of the eras begun by the launch date applied. */
function payloadFacts(mission: Mission, launchMs: number): PayloadFacts {
  const facts = PAYLOADS[mission];
  if (!facts.fromEra) return facts;
  let current = facts;
  for (const [era, changes] of Object.entries(facts.fromEra)) if (launchMs >= ERA[era as Era]) current = { ...current, ...changes };
  return current;
}

/** A uniform draw between two masses, or the one mass every payload of the mission has. */
const drawMass = (massKg: [number, number] | number, u: number): number =>
  typeof massKg === 'number' ? massKg : round(massKg[0] + u * (massKg[1] - massKg[0]));

function orbitalElements(w: World, k: number, orbit: string, launchMs: number): typeof NO_ORBIT {
  const r = (n: number) => w.hash.unit(S.orbit, k, n);
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
    lifespan_years: 1 + (w.hash.int(S.orbit, k, 5) % 15),
    epoch: iso(launchMs + (1 + (w.hash.int(S.orbit, k, 6) % 30)) * DAY),
    mean_motion: round3((24 * 60) / periodMin),
    raan: round3(r(7) * 360),
    arg_of_pericenter: round3(r(8) * 360),
    mean_anomaly: round3(r(9) * 360),
  };
}

function dragon(w: World, i: number, profile: Profile, flown: boolean): Dragon {
  if (!isDragon(profile.mission)) return NO_DRAGON;
  const returnedKg = flown ? 500 + (w.hash.int(S.capsule, i, 1) % 2000) : null;
  const manifestUrl = `https://www.nasa.gov/sites/default/files/atoms/files/manifest_${w.ids.linkCode(KIND.capsule, i)}.pdf`;
  return {
    capsule: capsuleIdOf(w, i, profile.mission),
    mass_returned_kg: returnedKg,
    mass_returned_lbs: returnedKg === null ? null : lb(returnedKg),
    flight_time_sec: flown ? 86_400 * (5 + (w.hash.int(S.capsule, i, 2) % 60)) : null,
    manifest: flown ? manifestUrl : null,
    water_landing: flown ? true : null,
    land_landing: flown ? false : null,
  };
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
