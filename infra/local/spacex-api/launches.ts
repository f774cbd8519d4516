/** The v5 launch document of launch i at a tick. */
import { HOUR, iso, localIso } from './calendar';
import {
  CREW_ROLES,
  FAILURE_REASONS,
  FALCON1_NAMES,
  GOVERNMENT_PROGRAMS,
  LAUNCH_DETAILS,
  PADS,
  QUOTED_NAMES,
  ROCKETS,
  SCIENCE_MISSIONS,
} from './catalogue';
import { ERA } from './history';
import { KIND } from './ids';
import { isDragon, type Profile } from './manifest';
import { STREAM as S } from './random';
import { capsuleIdOf, coresOf, fairingsOf, shipsOf } from './recovery';
import type { DatePrecision, Launch, LaunchLinks } from './types';
import type { World } from './world';

const { floor } = Math;
const encodeUri = encodeURIComponent;

export function launchDocument(w: World, i: number, tick: number): Launch {
  const { hash, ids, manifest, schedule } = w;
  const profile = manifest.profile(i);
  const pastCount = schedule.pastCount(tick);
  const past = i < pastCount;
  const dateMs = profile.baseMs + schedule.delayMs(i, tick);
  const flightNumber = i + 1;
  const name = launchName(w, i, profile, flightNumber);
  const success = manifest.outcome(i, past);
  const staticFireMs = staticFireDateMs(w, i, past, dateMs);
  const payloads: string[] = [];
  for (let k = manifest.payloadStartOf(i), end = manifest.payloadStartOf(i + 1); k < end; k++) payloads.push(ids.objectId(KIND.payload, k));
  const stepsAhead = i - pastCount;
  const precision = past ? (hash.unit(S.precision, i) < 0.05 ? 'day' : 'hour') : upcomingPrecision(stepsAhead, hash.unit(S.precision, i));
  const coarse = precision !== 'hour' && precision !== 'day';
  return {
    fairings: fairingsOf(w, i, profile, past),
    links: links(w, i, name, past, dateMs),
    static_fire_date_utc: staticFireMs === null ? null : iso(staticFireMs),
    static_fire_date_unix: staticFireMs === null ? null : floor(staticFireMs / 1000),
    net: !past && coarse,
    window: launchWindow(w, i, past, stepsAhead),
    rocket: w.rocketIds[profile.rocket],
    success,
    failures: success === false ? [failure(w, i)] : [],
    details: details(w, i, profile, name, past),
    crew:
      profile.mission === 'crew' ? CREW_ROLES.map((role, j) => ({ crew: ids.objectId(KIND.crew, i * CREW_ROLES.length + j), role })) : [],
    ships: shipsOf(w, i, past, profile.baseMs),
    capsules: isDragon(profile.mission) ? [capsuleIdOf(w, i, profile.mission)] : [],
    payloads,
    launchpad: w.padIds[profile.pad],
    flight_number: flightNumber,
    name,
    date_utc: iso(dateMs),
    date_unix: floor(dateMs / 1000),
    date_local: localIso(dateMs, PADS[profile.pad]),
    date_precision: precision,
    upcoming: !past,
    cores: coresOf(w, i, profile, past),
    auto_update: true,
    tbd: !past && stepsAhead >= 6,
    launch_library_id: profile.baseMs >= ERA.launchLibrary ? ids.uuid(i) : null,
    id: ids.objectId(KIND.launch, i),
  };
}

/** Unique: each name ends with the flight number, after a prefix no other mission uses. */
export function launchName(w: World, i: number, profile: Profile, flightNumber: number): string {
  const { hash } = w;
  if (w.manifest.isQuirk(i, 'quotedName') || hash.unit(S.name, i) < 0.02) return `${hash.pick(QUOTED_NAMES, S.name, i, 1)}-${flightNumber}`;
  switch (profile.mission) {
    case 'falcon1':
      return FALCON1_NAMES[i] ?? `Falcon 1 Flight ${flightNumber}`;
    case 'demo':
      return hash.unit(S.name, i, 2) < 0.5 ? `Falcon 9 Test Flight ${flightNumber}` : `COTS Demo Flight ${flightNumber}`;
    case 'starlink':
      return profile.baseMs < ERA.starlinkV15 ? `Starlink-${flightNumber} (v1.0)` : `Starlink 4-${flightNumber} (v1.5)`;
    case 'cargo':
      return `CRS-${flightNumber}`;
    case 'crew':
      return `Crew-${flightNumber}`;
    case 'comsat':
      return `${w.manifest.comsatOperator(i).operator}-${flightNumber}`;
    case 'rideshare':
      return `Transporter-${flightNumber}`;
    case 'government':
      return `${hash.pick(GOVERNMENT_PROGRAMS, S.name, i, 3)}-${flightNumber}`;
    case 'science':
      return `${hash.pick(SCIENCE_MISSIONS, S.name, i, 4)}-${flightNumber}`;
    case 'starship':
      return `Starship Flight ${flightNumber}`;
  }
}

/** Upcoming dates get vaguer the further out a launch is. */
function upcomingPrecision(stepsAhead: number, u: number): DatePrecision {
  if (stepsAhead < 2) return 'hour';
  if (stepsAhead < 6) return 'day';
  if (stepsAhead < 12) return 'month';
  return u < 0.5 ? 'quarter' : 'half';
}

/** Null for ~40% of flown launches; a few are dated after the launch (a real data error). */
function staticFireDateMs(w: World, i: number, past: boolean, dateMs: number): number | null {
  if (!past) return null;
  const u = w.hash.unit(S.staticFire, i);
  const hours = w.hash.int(S.staticFire, i, 1);
  if (w.manifest.isQuirk(i, 'staticFireAfterLaunch') || (u >= 0.4 && u < 0.41)) return dateMs + (24 + (hours % (20 * 24))) * HOUR;
  if (u < 0.4) return null;
  return dateMs - (24 + (hours % (13 * 24))) * HOUR;
}

function launchWindow(w: World, i: number, past: boolean, stepsAhead: number): number | null {
  if (!past && stepsAhead >= 3) return null;
  const u = w.hash.unit(S.window, i);
  if (u < 0.1) return null;
  if (u < 0.5) return 0;
  return [600, 1800, 3600, 7200, 14400][w.hash.int(S.window, i, 1) % 5];
}

function failure(w: World, i: number): Launch['failures'][number] {
  return {
    time: 25 + (w.hash.int(S.failure, i) % 600),
    altitude: w.hash.unit(S.failure, i, 1) < 0.3 ? null : w.hash.int(S.failure, i, 2) % 300,
    reason: w.hash.pick(FAILURE_REASONS, S.failure, i, 3),
  };
}

function details(w: World, i: number, profile: Profile, name: string, past: boolean): string | null {
  if (w.hash.unit(S.details, i) < (past ? 0.45 : 0.7)) return null;
  const values: Record<string, string> = {
    rocket: ROCKETS[profile.rocket].name,
    pad: PADS[profile.pad].name,
    name,
    payloads: String(profile.payloads),
  };
  const template = LAUNCH_DETAILS[w.hash.int(S.details, i, 1) % LAUNCH_DETAILS.length];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key]);
}

function links(w: World, i: number, name: string, past: boolean, dateMs: number): LaunchLinks {
  if (!past) return NO_LINKS();
  // One draw decides which optional links exist: 4 bits (a sixteenth each) per link.
  const presence = w.hash.int(S.links, i);
  const has = (slot: number, sixteenths: number) => ((presence >>> (4 * slot)) & 15) < sixteenths;
  const code = (k: number) => w.ids.linkCode(KIND.launch, i, k);
  const reddit = dateMs >= ERA.redditThreads && has(0, 9);
  const youtubeId = code(1) + code(2).slice(0, 3);
  const date = iso(dateMs);
  const photos = dateMs >= ERA.flickrAlbums && has(1, 6) ? 1 + (presence >>> 31) : 0;
  const original: string[] = [];
  for (let p = 0; p < photos; p++) original.push(`https://live.staticflickr.com/65535/${code(10 + p)}_o.jpg`);
  const thread = (n: number) => `https://www.reddit.com/r/spacex/comments/${code(n)}`;
  const day = `${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}`;
  return {
    patch: { small: `https://images2.imgbox.com/${code(3)}_o.png`, large: `https://images2.imgbox.com/${code(4)}_o.png` },
    reddit: {
      campaign: reddit ? thread(5) : null,
      launch: reddit && has(2, 12) ? thread(6) : null,
      media: reddit && has(3, 4) ? thread(7) : null,
      recovery: null,
    },
    flickr: { small: [], original },
    presskit: has(4, 8) ? `https://www.spacex.com/media/press_kit_${code(8)}.pdf` : null,
    webcast: `https://youtu.be/${youtubeId}`,
    youtube_id: youtubeId,
    article: has(5, 12) ? `https://spaceflightnow.com/${day}/launch-${i + 1}/` : null,
    wikipedia: has(6, 8) ? `https://en.wikipedia.org/wiki/${encodeUri(name.replace(/ /g, '_'))}` : null,
  };
}

const NO_LINKS = (): LaunchLinks => ({
  patch: { small: null, large: null },
  reddit: { campaign: null, launch: null, media: null, recovery: null },
  flickr: { small: [], original: [] },
  presskit: null,
  webcast: null,
  youtube_id: null,
  article: null,
  wikipedia: null,
});
