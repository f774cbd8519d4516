/**
 * The generated, live-moving SpaceX data behind the simulated API.
 *
 * Every document is computed on demand from (seed, index, tick) with a stateless hash, so any
 * launch or payload can be produced alone, and a million-launch set costs one typed array
 * (payload offsets), not a million objects. The only mutable state is the tick of the simulated
 * clock (see schedule.ts): at each tick the next upcoming launch flies (or is scrubbed), upcoming
 * ones may slip, and new launches are announced, so the source never stops moving.
 */
import { launchDocument } from './launches';
import { payloadDocument } from './payloads';
import { landpadDocuments, launchpadDocuments, rocketDocuments } from './reference';
import { KIND } from './ids';
import { MAX_TICK } from './schedule';
import type { Landpad, Launch, Launchpad, Payload, Rocket } from './types';
import { createWorld, type World } from './world';

export type * from './types';

export interface DatasetOptions {
  launches: number;
  seed?: number;
  upcoming?: number;
}

const { isInteger } = Number;
const { min, round } = Math;

export class ReplayDataset {
  /** Launches at tick 0 (the `launches` option). */
  readonly launchesAtStart: number;
  readonly seed: number;
  readonly upcomingAtStart: number;
  private readonly w: World;
  private currentTick = 0;
  private padsKept: { tick: number; docs: Map<string, unknown[]> } = { tick: -1, docs: new Map() };

  constructor(options: DatasetOptions) {
    if (!isInteger(options.launches) || options.launches < 0) throw new RangeError('launches must be a non-negative integer');
    this.launchesAtStart = options.launches;
    this.seed = options.seed ?? 42;
    const upcoming = options.upcoming ?? min(18, round(this.launchesAtStart / 10));
    if (!isInteger(upcoming) || upcoming < 0) throw new RangeError('upcoming must be a non-negative integer');
    this.upcomingAtStart = min(upcoming, this.launchesAtStart);
    this.w = createWorld(this.seed, this.launchesAtStart, this.upcomingAtStart);
  }

  get tick(): number {
    return this.currentTick;
  }

  /** Launches (flown and upcoming) at the current tick. */
  get size(): number {
    return this.launchCount();
  }

  get payloadCount(): number {
    return this.payloadCountAt();
  }

  launchCount(tick = this.currentTick): number {
    return this.w.schedule.launchCount(tick);
  }

  /** Payloads of the launches that exist at a tick. */
  payloadCountAt(tick = this.currentTick): number {
    return this.w.manifest.payloadStartOf(this.launchCount(tick));
  }

  /** Moves the simulated clock by n ticks (see schedule.ts). Returns the new tick. */
  advance(n = 1): number {
    if (!isInteger(n) || n < 0) throw new RangeError('ticks must be a non-negative integer');
    if (this.currentTick + n > MAX_TICK) throw new RangeError(`the simulated clock reaches tick ${MAX_TICK} at most`);
    this.currentTick += n;
    return this.currentTick;
  }

  /** Ticks that change nothing map to the same effective tick: responses are identical for them. */
  effectiveTick(tick = this.currentTick): number {
    return this.w.schedule.effectiveTick(tick);
  }

  pastCount(tick = this.currentTick): number {
    return this.w.schedule.pastCount(tick);
  }

  /** Index of the past launch with the highest flight_number, or -1 when none has flown. */
  latestIndex(tick = this.currentTick): number {
    return this.pastCount(tick) - 1;
  }

  /** Index of the first upcoming launch, or -1 when all have flown. */
  nextIndex(tick = this.currentTick): number {
    const past = this.pastCount(tick);
    return past < this.launchCount(tick) ? past : -1;
  }

  /** The tick at which launch i flies (0: it had flown before tick 0). */
  flightTick(i: number): number {
    return this.w.schedule.flightTick(i);
  }

  /** The tick at which launch i appears, upcoming (0: on the manifest at tick 0). */
  announceTick(i: number): number {
    return this.w.schedule.announceTick(i);
  }

  launchId(i: number): string {
    return this.w.ids.objectId(KIND.launch, i);
  }

  payloadId(k: number): string {
    return this.w.ids.objectId(KIND.payload, k);
  }

  /** Index of a launch existing at the tick, for its id, or -1 (O(1): the index is encoded in the id). */
  launchIndexOf(id: string, tick = this.currentTick): number {
    return this.w.ids.indexOf(KIND.launch, id, this.launchCount(tick));
  }

  payloadIndexOf(id: string, tick = this.currentTick): number {
    return this.w.ids.indexOf(KIND.payload, id, this.payloadCountAt(tick));
  }

  /** Payload indexes [start, end) carried by launch i. */
  payloadRange(i: number): [number, number] {
    return [this.w.manifest.payloadStartOf(i), this.w.manifest.payloadStartOf(i + 1)];
  }

  /** Launch index carrying payload k. */
  launchOfPayload(k: number): number {
    return this.w.manifest.launchOfPayload(k);
  }

  /** date_utc of launch i at a tick, in ms: its base date plus the slips and scrubs it accumulated. */
  launchDateMs(i: number, tick = this.currentTick): number {
    return this.w.manifest.baseDateMs(i) + this.w.schedule.delayMs(i, tick);
  }

  launch(i: number, tick = this.currentTick): Launch {
    if (!isInteger(i) || i < 0 || i >= this.launchCount(tick)) throw new RangeError(`no launch ${i} at tick ${tick}`);
    return launchDocument(this.w, i, tick);
  }

  *launches(tick = this.currentTick): IterableIterator<Launch> {
    for (let i = 0, count = this.launchCount(tick); i < count; i++) yield launchDocument(this.w, i, tick);
  }

  /** Payload k (its document never changes; it exists once its launch is announced). */
  payload(k: number, tick = this.currentTick): Payload {
    if (!isInteger(k) || k < 0 || k >= this.payloadCountAt(tick)) throw new RangeError(`no payload ${k} at tick ${tick}`);
    const i = this.launchOfPayload(k);
    return payloadDocument(this.w, i, k - this.w.manifest.payloadStartOf(i), this.w.manifest.profile(i));
  }

  payloadsOfLaunch(i: number): Payload[] {
    const profile = this.w.manifest.profile(i);
    return Array.from({ length: profile.payloads }, (_, j) => payloadDocument(this.w, i, j, profile));
  }

  rockets(): Rocket[] {
    return rocketDocuments(this.w);
  }

  /** Launch counts cover launches flown at the tick. */
  launchpads(tick = this.currentTick): Launchpad[] {
    return this.keptForTick('launchpads', tick, () => launchpadDocuments(this.w, tick));
  }

  landpads(tick = this.currentTick): Landpad[] {
    return this.keptForTick('landpads', tick, () => landpadDocuments(this.w, tick));
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
}

export function createDataset(options: DatasetOptions): ReplayDataset {
  return new ReplayDataset(options);
}

/** The generated, live-moving data by what it is; ReplayDataset remains for existing callers. */
export type SimulatedData = ReplayDataset;
