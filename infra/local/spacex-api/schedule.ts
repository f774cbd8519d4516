/** The simulated clock: which launches have flown at a tick, and how upcoming dates slip. */
import { HOUR } from './calendar';
import { type Hasher, STREAM as S } from './random';

const { max, min } = Math;

const SLIP_PROBABILITY = 0.3;
const MAX_SLIP_HOURS = 72;
/** Only the last ticks before a flight can slip it; bounds slipMs at O(window) for any tick. */
const SLIP_WINDOW_TICKS = 64;

export class Schedule {
  constructor(
    private readonly hash: Hasher,
    /** Launches already flown at tick 0. */
    readonly pastAtStart: number,
    /** Launches upcoming at tick 0. */
    readonly upcomingAtStart: number,
  ) {}

  /** Launches that exist (flown or upcoming) at a tick. */
  launchCount(_tick: number): number {
    return this.pastAtStart + this.upcomingAtStart;
  }

  pastCount(tick: number): number {
    return min(this.launchCount(tick), this.pastAtStart + tick);
  }

  /** Ticks after the last launch flew change nothing; responses are identical from then on. */
  effectiveTick(tick: number): number {
    return min(tick, this.upcomingAtStart);
  }

  /** The tick at which launch i flies (0: it had flown before tick 0). */
  flightTick(i: number): number {
    return i < this.pastAtStart ? 0 : i - this.pastAtStart + 1;
  }

  /**
   * Slip of launch i at a tick. At each tick up to and including the one it flies, an upcoming
   * launch may slip by 1-72 h; afterwards the date is frozen. Non-decreasing in the tick.
   */
  slipMs(i: number, tick: number): number {
    if (i < this.pastAtStart) return 0;
    const flightTick = this.flightTick(i);
    const last = min(tick, flightTick);
    let hours = 0;
    for (let s = max(1, flightTick - SLIP_WINDOW_TICKS + 1); s <= last; s++) {
      if (this.hash.unit(S.slip, i, s) < SLIP_PROBABILITY) hours += 1 + (this.hash.int(S.slipHours, i, s) % MAX_SLIP_HOURS);
    }
    return hours * HOUR;
  }
}
