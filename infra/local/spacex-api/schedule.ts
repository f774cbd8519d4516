/**
 * The simulated clock: which launches exist and have flown at a tick, and how their dates move.
 *
 * Tick 0 holds the recorded manifest: `launches` launches, the last `upcoming` of them still
 * upcoming. Each tick one of those flies, in flight-number order, and dates still upcoming may
 * slip. Once the manifest has shrunk to half its length (the floor), every flight announces a new
 * launch at its end, so the source moves for ever: the manifest stays at the floor. A launch the
 * simulation announced may be scrubbed on its day, once or twice: the tick passes with no flight
 * and its date moves by a day or two. Launches of the recorded manifest are never scrubbed, so
 * ticks up to the floor are exactly as before new launches were scheduled.
 *
 * A tick's state is computed, not replayed: flight ticks of announced launches are summed from
 * per-launch scrub draws, kept as a checkpoint every BLOCK launches.
 */
import { HOUR } from './calendar';
import { type Hasher, STREAM as S } from './random';

const { ceil, max, min } = Math;

const SLIP_PROBABILITY = 0.3;
const MAX_SLIP_HOURS = 72;
/** Only the last ticks before a flight can slip it; bounds the work per date at O(window) for any tick. */
const SLIP_WINDOW_TICKS = 64;
/** Shares of announced launches scrubbed twice, and once or twice. */
const TWO_SCRUBS = 0.05;
const SCRUBBED = 0.2;
/** The clock's reach: dates stay within four-digit years (plain ISO 8601), a launch every four days. */
export const MAX_TICK = 500_000;

const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;
/** Blocks of flight ticks kept decoded (a listing reads them in order; a few cover a whole response). */
const KEPT_BLOCKS = 64;

export class Schedule {
  /** Launches upcoming once the manifest is topped up at every flight. */
  readonly floor: number;
  private readonly launchesAtStart: number;
  /** checkpoints[b] = flight tick of announced launch b * BLOCK - 1 (the upcoming count at tick 0 for b = 0). */
  private checkpoints = new Int32Array(1024);
  private checkpointCount = 1;
  private readonly blocks = new Map<number, Int32Array>();
  private lastPast = { tick: -1, count: 0 };

  constructor(
    private readonly hash: Hasher,
    /** Launches already flown at tick 0. */
    readonly pastAtStart: number,
    /** Launches upcoming at tick 0. */
    readonly upcomingAtStart: number,
  ) {
    this.launchesAtStart = pastAtStart + upcomingAtStart;
    this.floor = ceil(upcomingAtStart / 2);
    this.checkpoints[0] = upcomingAtStart;
  }

  /** Launches that exist (flown or announced) at a tick. */
  launchCount(tick: number): number {
    if (this.upcomingAtStart === 0) return this.launchesAtStart;
    return max(this.launchesAtStart, this.pastCount(tick) + this.floor);
  }

  pastCount(tick: number): number {
    if (this.upcomingAtStart === 0) return this.pastAtStart;
    if (tick <= this.upcomingAtStart) return this.pastAtStart + tick;
    if (tick !== this.lastPast.tick) this.lastPast = { tick, count: this.launchesAtStart + this.announcedFlownBy(tick) };
    return this.lastPast.count;
  }

  /** Every tick changes the source, unless nothing is upcoming at all (a frozen source). */
  effectiveTick(tick: number): number {
    return this.upcomingAtStart === 0 ? 0 : tick;
  }

  /** The tick at which launch i flies (0: it had flown before tick 0). */
  flightTick(i: number): number {
    if (i < this.pastAtStart) return 0;
    if (i < this.launchesAtStart) return i - this.pastAtStart + 1;
    const j = i - this.launchesAtStart;
    return this.block(j >>> BLOCK_BITS)[j & (BLOCK - 1)];
  }

  /** The tick at which launch i was announced (0: on the manifest at tick 0). */
  announceTick(i: number): number {
    return i < this.launchesAtStart ? 0 : this.flightTick(i - this.floor);
  }

  /** Scrubs of launch i on its day (0-2); the recorded manifest has none. */
  scrubs(i: number): number {
    if (i < this.launchesAtStart) return 0;
    const u = this.hash.unit(S.scrub, i);
    return u < TWO_SCRUBS ? 2 : u < SCRUBBED ? 1 : 0;
  }

  /**
   * How far launch i's date has moved at a tick. At each tick after its announcement up to and
   * including the one it flies, an upcoming launch may slip by 1-72 h; each scrub moves it by one
   * or two days. Afterwards the date is frozen. Non-decreasing in the tick.
   */
  delayMs(i: number, tick: number): number {
    if (i < this.pastAtStart) return 0;
    const flightTick = this.flightTick(i);
    const last = min(tick, flightTick);
    let hours = 0;
    for (let s = max(1, this.announceTick(i) + 1, flightTick - SLIP_WINDOW_TICKS + 1); s <= last; s++) {
      if (this.hash.unit(S.slip, i, s) < SLIP_PROBABILITY) hours += 1 + (this.hash.int(S.slipHours, i, s) % MAX_SLIP_HOURS);
    }
    // Scrub m (1..n) happens at the m-th of the n ticks before the flight.
    const scrubs = this.scrubs(i);
    for (let m = 1; m <= scrubs && flightTick - scrubs + m - 1 <= tick; m++) hours += 24 * (1 + (this.hash.int(S.scrubHours, i, m) % 2));
    return hours * HOUR;
  }

  /** Announced launches (index from launchesAtStart) flown by a tick after the recorded manifest flew. */
  private announcedFlownBy(tick: number): number {
    if (tick > MAX_TICK) throw new RangeError(`the simulated clock reaches tick ${MAX_TICK} at most`);
    while (this.checkpoints[this.checkpointCount - 1] <= tick) this.addCheckpoint();
    // The last block that starts at or before the tick, then the launches of it flown by then.
    let low = 0;
    let high = this.checkpointCount - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.checkpoints[mid] <= tick) low = mid;
      else high = mid - 1;
    }
    const ticks = this.block(low);
    let k = 0;
    while (k < BLOCK && ticks[k] <= tick) k++;
    return low * BLOCK + k;
  }

  private addCheckpoint(): void {
    const b = this.checkpointCount - 1;
    if (this.checkpointCount === this.checkpoints.length) {
      const grown = new Int32Array(this.checkpoints.length * 2);
      grown.set(this.checkpoints);
      this.checkpoints = grown;
    }
    this.checkpoints[this.checkpointCount++] = this.block(b)[BLOCK - 1];
  }

  /** Flight ticks of announced launches b * BLOCK .. (b + 1) * BLOCK - 1. */
  private block(b: number): Int32Array {
    let ticks = this.blocks.get(b);
    if (ticks) return ticks;
    while (this.checkpointCount <= b) this.addCheckpoint();
    ticks = new Int32Array(BLOCK);
    let tick = this.checkpoints[b];
    for (let k = 0; k < BLOCK; k++) ticks[k] = tick += 1 + this.scrubs(this.launchesAtStart + b * BLOCK + k);
    if (this.blocks.size >= KEPT_BLOCKS) this.blocks.clear();
    this.blocks.set(b, ticks);
    return ticks;
  }
}
