/** The real launch history's timeline: when launches happened and what changed along the way. */

export const FIRST_FLIGHT_MS = Date.UTC(2006, 2, 24, 22, 30); // FalconSat
export const LAST_PAST_FLIGHT_MS = Date.UTC(2022, 9, 5, 16, 0); // Crew-5, the real API's frozen "latest"

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
export function historicalDateMs(x: number): number {
  let k = 1;
  while (k < CADENCE.length - 1 && CADENCE[k][0] < x) k++;
  const [x0, t0] = CADENCE[k - 1];
  const [x1, t1] = CADENCE[k];
  return t0 + ((x - x0) / (x1 - x0)) * (t1 - t0);
}

const since = (year: number, month = 1): number => Date.UTC(year, month - 1, 1);

/** Milestones of the real history that change what a launch looks like. */
export const ERA = {
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

export type Era = keyof typeof ERA;
