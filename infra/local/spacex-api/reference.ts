/** The v4 rockets, launchpads and landpads; the pads count the launches flown at a tick. */
import { LANDPADS, PADS, ROCKETS, type RocketFacts } from './catalogue';
import { KIND } from './ids';
import { coreCount } from './manifest';
import { lb } from './payloads';
import { landingOf } from './recovery';
import type { Landpad, Launchpad, Measure, Rocket, Thrust } from './types';
import type { World } from './world';

const { round } = Math;

const feet = (meters: number): number => round(meters * 3.28084 * 10) / 10;
const lbf = (kN: number): number => round(kN * 224.809);
const thrust = (kN: number): Thrust => ({ kN, lbf: lbf(kN) });
const measure = (meters: number | null): Measure => ({ meters, feet: meters === null ? null : feet(meters) });

export function rocketDocuments(w: World): Rocket[] {
  return ROCKETS.map((facts, r) => rocketDocument(w, facts, r));
}

function rocketDocument(w: World, facts: RocketFacts, r: number): Rocket {
  const large = facts.boosters > 0 || facts.engines > 1;
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
        composite_fairing: { height: measure(large ? 13.1 : 3.5), diameter: measure(large ? 5.2 : 1.5) },
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
    payload_weights: [{ id: 'leo', name: 'low earth orbit', kg: facts.payloadLeoKg, lb: lb(facts.payloadLeoKg) }],
    flickr_images: [`https://farm1.staticflickr.com/${w.ids.linkCode(KIND.rocket, r)}_b.jpg`],
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
    id: w.rocketIds[r],
  };
}

/** Each pad lists every launch flown from it by the tick: a scan of cheap per-index facts, no documents. */
export function launchpadDocuments(w: World, tick: number): Launchpad[] {
  const launches: string[][] = PADS.map(() => []);
  const successes = PADS.map(() => 0);
  for (let i = 0, past = w.schedule.pastCount(tick); i < past; i++) {
    const pad = w.manifest.profile(i).pad;
    launches[pad].push(w.ids.objectId(KIND.launch, i));
    if (w.manifest.outcome(i, true) === true) successes[pad]++;
  }
  return PADS.map((pad, p) => ({
    images: { large: [`https://i.imgur.com/${w.ids.linkCode(KIND.launchpad, p)}.png`] },
    name: pad.name,
    full_name: pad.full_name,
    locality: pad.locality,
    region: pad.region,
    timezone: pad.timezone,
    latitude: pad.latitude,
    longitude: pad.longitude,
    launch_attempts: launches[p].length,
    launch_successes: successes[p],
    rockets: pad.rockets.map((r) => w.rocketIds[r]),
    launches: launches[p],
    details: pad.details,
    status: pad.status,
    id: w.padIds[p],
  }));
}

export function landpadDocuments(w: World, tick: number): Landpad[] {
  const launches: string[][] = LANDPADS.map(() => []);
  const attempts = LANDPADS.map(() => 0);
  const successes = LANDPADS.map(() => 0);
  for (let i = 0, past = w.schedule.pastCount(tick); i < past; i++) {
    const profile = w.manifest.profile(i);
    for (let c = 0; c < coreCount(profile.rocket); c++) {
      const landing = landingOf(w, i, c, profile, true);
      if (landing.landpad < 0) continue;
      attempts[landing.landpad]++;
      if (landing.success) successes[landing.landpad]++;
      const id = w.ids.objectId(KIND.launch, i);
      const list = launches[landing.landpad];
      if (list[list.length - 1] !== id) list.push(id);
    }
  }
  return LANDPADS.map((pad, p) => ({
    images: { large: [`https://i.imgur.com/${w.ids.linkCode(KIND.landpad, p)}.png`] },
    ...pad,
    landing_attempts: attempts[p],
    landing_successes: successes[p],
    launches: launches[p],
    id: w.landpadIds[p],
  }));
}
