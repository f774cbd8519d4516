import { createDataset, type Launch, type ReplayDataset } from '../../infra/local/spacex-api/dataset';

const OBJECT_ID = /^[0-9a-f]{24}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:00$/;

const LAUNCH_KEYS = [
  'fairings',
  'links',
  'static_fire_date_utc',
  'static_fire_date_unix',
  'net',
  'window',
  'rocket',
  'success',
  'failures',
  'details',
  'crew',
  'ships',
  'capsules',
  'payloads',
  'launchpad',
  'flight_number',
  'name',
  'date_utc',
  'date_unix',
  'date_local',
  'date_precision',
  'upcoming',
  'cores',
  'auto_update',
  'tbd',
  'launch_library_id',
  'id',
];
const PAYLOAD_KEYS = [
  'dragon',
  'name',
  'type',
  'reused',
  'launch',
  'customers',
  'norad_ids',
  'nationalities',
  'manufacturers',
  'mass_kg',
  'mass_lbs',
  'orbit',
  'reference_system',
  'regime',
  'longitude',
  'semi_major_axis_km',
  'eccentricity',
  'periapsis_km',
  'apoapsis_km',
  'inclination_deg',
  'period_min',
  'lifespan_years',
  'epoch',
  'mean_motion',
  'raan',
  'arg_of_pericenter',
  'mean_anomaly',
  'id',
];

const allPayloads = (d: ReplayDataset) => Array.from({ length: d.payloadCount }, (_, k) => d.payload(k));

describe('replay dataset: determinism', () => {
  it('produces byte-identical documents for the same seed and size', () => {
    const a = createDataset({ launches: 300, seed: 9 });
    const b = createDataset({ launches: 300, seed: 9 });
    expect(JSON.stringify([...a.launches()])).toBe(JSON.stringify([...b.launches()]));
    expect(JSON.stringify(allPayloads(a))).toBe(JSON.stringify(allPayloads(b)));
    expect(JSON.stringify([a.rockets(), a.launchpads(), a.landpads()])).toBe(JSON.stringify([b.rockets(), b.launchpads(), b.landpads()]));
  });

  it('differs with the seed', () => {
    const a = createDataset({ launches: 300, seed: 1 });
    const b = createDataset({ launches: 300, seed: 2 });
    expect(a.launch(150).id).not.toBe(b.launch(150).id);
    expect(JSON.stringify([...a.launches()])).not.toBe(JSON.stringify([...b.launches()]));
  });

  it('builds any document alone, equal to the same document in a full listing', () => {
    const d = createDataset({ launches: 500 });
    const listed = [...d.launches()];
    for (const i of [0, 1, 250, 481, 499]) expect(JSON.stringify(d.launch(i))).toBe(JSON.stringify(listed[i]));
    const fresh = createDataset({ launches: 500 });
    expect(JSON.stringify(fresh.payload(300))).toBe(JSON.stringify(allPayloads(d)[300]));
  });

  it('defaults to seed 42 and min(18, launches/10) upcoming', () => {
    expect(createDataset({ launches: 100 }).seed).toBe(42);
    expect(createDataset({ launches: 100 }).upcomingAtStart).toBe(10);
    expect(createDataset({ launches: 205 }).upcomingAtStart).toBe(18);
    expect(createDataset({ launches: 1000, upcoming: 40 }).upcomingAtStart).toBe(40);
  });

  it('handles tiny sizes', () => {
    for (const launches of [0, 1, 2, 10]) {
      const d = createDataset({ launches });
      expect([...d.launches()]).toHaveLength(launches);
      expect(allPayloads(d)).toHaveLength(d.payloadCount);
    }
    expect(createDataset({ launches: 0 }).latestIndex()).toBe(-1);
  });
});

describe('replay dataset: document shape', () => {
  const d = createDataset({ launches: 400 });
  const launches = [...d.launches()];

  it('gives every launch all v5 fields, unique ids and names, ordered flight numbers', () => {
    launches.forEach((l, i) => {
      expect(Object.keys(l)).toEqual(LAUNCH_KEYS);
      expect(l.flight_number).toBe(i + 1);
      expect(l.id).toMatch(OBJECT_ID);
      expect(l.date_utc).toMatch(ISO_UTC);
      expect(l.date_unix).toBe(Date.parse(l.date_utc) / 1000);
      expect(l.date_local).toMatch(ISO_LOCAL);
      expect(Date.parse(l.date_local)).toBe(Date.parse(l.date_utc));
      expect(l.static_fire_date_unix).toBe(l.static_fire_date_utc === null ? null : Date.parse(l.static_fire_date_utc) / 1000);
      for (const core of l.cores)
        expect(Object.keys(core)).toEqual([
          'core',
          'flight',
          'gridfins',
          'legs',
          'reused',
          'landing_attempt',
          'landing_success',
          'landing_type',
          'landpad',
        ]);
      expect(Object.keys(l.links)).toEqual(['patch', 'reddit', 'flickr', 'presskit', 'webcast', 'youtube_id', 'article', 'wikipedia']);
    });
    expect(new Set(launches.map((l) => l.id)).size).toBe(launches.length);
    expect(new Set(launches.map((l) => l.name)).size).toBe(launches.length);
  });

  it('gives every payload all v4 fields, with mass_lbs derived from mass_kg', () => {
    for (const p of allPayloads(d)) {
      expect(Object.keys(p)).toEqual(PAYLOAD_KEYS);
      expect(p.id).toMatch(OBJECT_ID);
      expect(p.mass_lbs).toBe(p.mass_kg === null ? null : Math.round(p.mass_kg * 2.20462));
      expect(Object.keys(p.dragon)).toEqual([
        'capsule',
        'mass_returned_kg',
        'mass_returned_lbs',
        'flight_time_sec',
        'manifest',
        'water_landing',
        'land_landing',
      ]);
    }
  });

  it('references only existing rockets, launchpads and landpads', () => {
    const rockets = d.rockets();
    const pads = d.launchpads();
    const landpads = d.landpads();
    expect(rockets.map((r) => r.name)).toEqual(['Falcon 1', 'Falcon 9', 'Falcon Heavy', 'Starship']);
    expect(pads.map((p) => p.name)).toEqual(['VAFB SLC 3W', 'CCSFS SLC 40', 'STLS', 'Kwajalein Atoll', 'VAFB SLC 4E', 'KSC LC 39A']);
    expect(landpads).toHaveLength(7);
    const ids = (docs: { id: string }[]) => new Set(docs.map((x) => x.id));
    for (const l of launches) {
      expect(ids(rockets).has(l.rocket)).toBe(true);
      expect(ids(pads).has(l.launchpad)).toBe(true);
      for (const core of l.cores) if (core.landpad !== null) expect(ids(landpads).has(core.landpad)).toBe(true);
    }
    expect(pads.reduce((sum, p) => sum + p.launch_attempts, 0)).toBe(d.pastCount());
    expect(new Set(pads.flatMap((p) => p.launches)).size).toBe(d.pastCount());
  });

  it('spreads past dates from 2006-03-24 to 2022 in flight order, upcoming ones after', () => {
    const past = launches.filter((l) => !l.upcoming);
    expect(past[0].date_utc).toBe('2006-03-24T22:30:00.000Z');
    expect(past[past.length - 1].date_utc.slice(0, 4)).toBe('2022');
    for (let i = 1; i < past.length; i++) expect(past[i].date_unix).toBeGreaterThanOrEqual(past[i - 1].date_unix);
    for (const l of launches.filter((x) => x.upcoming)) expect(l.date_unix).toBeGreaterThan(past[past.length - 1].date_unix);
    const falcon9 = d.rockets()[1].id;
    expect(launches.filter((l) => l.rocket === falcon9).length / launches.length).toBeGreaterThan(0.85);
  });
});

describe('replay dataset: quirks of the real data', () => {
  const quirksAt = (launches: number) => {
    const d = createDataset({ launches });
    const all = [...d.launches()];
    const past = all.filter((l) => !l.upcoming);
    const share = (list: Launch[], f: (l: Launch) => boolean) => list.filter(f).length / list.length;
    return { d, all, past, share, payloads: allPayloads(d) };
  };

  it.each([100, 205, 1000])('all appear at %i launches', (size) => {
    const { all, past, payloads } = quirksAt(size);
    const upcoming = all.filter((l) => l.upcoming);
    expect(upcoming.every((l) => l.success === null && l.failures.length === 0)).toBe(true);
    expect(past.some((l) => l.success === null)).toBe(true);
    expect(past.some((l) => l.success === false && l.failures.length === 1)).toBe(true);
    expect(all.some((l) => l.static_fire_date_utc === null)).toBe(true);
    expect(all.some((l) => l.static_fire_date_utc !== null && l.static_fire_date_utc > l.date_utc)).toBe(true);
    expect(all.some((l) => l.fairings === null)).toBe(true);
    expect(all.some((l) => l.payloads.length === 0)).toBe(true);
    expect(Math.max(...all.map((l) => l.payloads.length))).toBe(16);
    expect(all.some((l) => l.payloads.length >= 2 && l.payloads.length <= 6)).toBe(true);
    expect(all.some((l) => /['"]/.test(l.name))).toBe(true);
    expect(all.some((l) => l.details !== null && /['"]/.test(l.details))).toBe(true);
    expect(all.some((l) => l.details === null)).toBe(true);
    for (const field of ['crew', 'ships', 'capsules', 'failures'] as const) expect(all.some((l) => l[field].length === 0)).toBe(true);
    expect(payloads.some((p) => p.mass_kg === null)).toBe(true);
  });

  it('has realistic proportions at 1000 launches', () => {
    const { all, past, share, payloads } = quirksAt(1000);
    expect(share(past, (l) => l.success === null)).toBeGreaterThan(0.003);
    expect(share(past, (l) => l.success === null)).toBeLessThan(0.03);
    expect(share(past, (l) => l.success === false)).toBeGreaterThan(0.02);
    expect(share(past, (l) => l.success === false)).toBeLessThan(0.07);
    expect(share(past, (l) => l.static_fire_date_utc === null)).toBeGreaterThan(0.3);
    expect(share(past, (l) => l.static_fire_date_utc === null)).toBeLessThan(0.5);
    expect(share(all, (l) => l.payloads.length === 1)).toBeGreaterThan(0.8);
    const nullMass = payloads.filter((p) => p.mass_kg === null).length / payloads.length;
    expect(nullMass).toBeGreaterThan(0.08);
    expect(nullMass).toBeLessThan(0.18);
    expect(payloads.filter((p) => p.mass_kg === 15600).length).toBeGreaterThan(20);
  });
});

describe('replay dataset: live source simulation', () => {
  it('flies the recorded manifest one launch per tick and reports it as latest', () => {
    const d = createDataset({ launches: 205 });
    expect(d.tick).toBe(0);
    expect(d.latestIndex()).toBe(186);
    expect(d.nextIndex()).toBe(187);
    expect(d.advance()).toBe(1);
    expect(d.latestIndex()).toBe(187);
    expect(d.launch(187).upcoming).toBe(false);
    expect(d.launch(187, 0).upcoming).toBe(true);
    for (let tick = 0; tick <= 18; tick++) expect(d.pastCount(tick)).toBe(187 + tick);
  });

  it('keeps the first ticks as recorded: new launches appear once the manifest is down to half', () => {
    const d = createDataset({ launches: 205 });
    for (let tick = 0; tick <= 9; tick++) expect(d.launchCount(tick)).toBe(205);
    expect(d.launchCount(10)).toBe(206);
    for (let tick = 10; tick <= 300; tick++) expect(d.launchCount(tick) - d.pastCount(tick)).toBe(9);
    expect(d.announceTick(205)).toBe(10);
    expect(d.launch(205, 10).upcoming).toBe(true);
    expect(() => d.launch(205, 9)).toThrow(RangeError);
    expect([...d.launches(9)]).toHaveLength(205);
  });

  it('stays live far into the future: tick 10,000 and 10,001 differ, and are quick to reach', () => {
    const d = createDataset({ launches: 205 });
    const view = (tick: number) => {
      const past = d.pastCount(tick);
      const upcoming = Array.from({ length: d.launchCount(tick) - past }, (_, k) => d.launch(past + k, tick));
      return JSON.stringify({ latest: d.launch(past - 1, tick), upcoming });
    };
    const started = Date.now();
    const far = view(10_000);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(view(10_001)).not.toBe(far);
    for (let tick = 5_000; tick < 5_200; tick++) expect(view(tick + 1)).not.toBe(view(tick));
    const upcoming = JSON.parse(far).upcoming as Launch[];
    expect(upcoming).toHaveLength(9);
    expect(upcoming.every((l) => l.upcoming && l.success === null)).toBe(true);
  });

  it('schedules new launches like the recorded ones: ascending flight numbers, unique names and ids, payloads, pads', () => {
    const d = createDataset({ launches: 205 });
    const launches = [...d.launches(3_000)];
    expect(launches.length).toBeGreaterThan(2_500);
    launches.forEach((l, i) => {
      expect(l.flight_number).toBe(i + 1);
      expect(l.id).toMatch(OBJECT_ID);
      expect(Object.keys(l)).toEqual(LAUNCH_KEYS);
    });
    expect(new Set(launches.map((l) => l.id)).size).toBe(launches.length);
    expect(new Set(launches.map((l) => l.name)).size).toBe(launches.length);
    const added = launches.slice(205);
    expect(added.some((l) => l.payloads.length > 1)).toBe(true);
    expect(new Set(added.map((l) => l.launchpad)).size).toBeGreaterThanOrEqual(3);
    const payloads = Array.from({ length: d.payloadCountAt(3_000) }, (_, k) => d.payload(k, 3_000));
    expect(payloads.slice(d.payloadCountAt(0)).every((p) => d.launchIndexOf(p.launch, 3_000) >= 205)).toBe(true);
    expect(d.launchIndexOf(launches[2_000].id, 0)).toBe(-1);
    const pads = d.launchpads(3_000);
    expect(pads.reduce((n, p) => n + p.launch_attempts, 0)).toBe(d.pastCount(3_000));
  });

  it('scrubs some new launches: the tick passes without a flight and the date moves by a day or two', () => {
    const d = createDataset({ launches: 205 });
    let scrubbed = 0;
    for (let i = 205; i < 1_205; i++) {
      const scrubs = d.flightTick(i) - d.flightTick(i - 1) - 1;
      expect(scrubs).toBeGreaterThanOrEqual(0);
      expect(scrubs).toBeLessThanOrEqual(2);
      for (let s = 1; s <= scrubs; s++) {
        const tick = d.flightTick(i) - s;
        expect(d.pastCount(tick)).toBe(d.pastCount(tick - 1));
        const moved = d.launchDateMs(i, tick) - d.launchDateMs(i, tick - 1);
        expect(moved).toBeGreaterThanOrEqual(24 * 3_600_000);
        expect(moved).toBeLessThanOrEqual((48 + 72) * 3_600_000);
        scrubbed++;
      }
    }
    expect(scrubbed).toBeGreaterThan(100);
    expect(scrubbed).toBeLessThan(500);
    for (let i = 187; i < 205; i++) expect(d.flightTick(i)).toBe(i - 186);
  });

  it('is frozen with nothing upcoming, as the real API since 2022', () => {
    const d = createDataset({ launches: 50, upcoming: 0 });
    d.advance(1_000);
    expect(d.size).toBe(50);
    expect(d.nextIndex()).toBe(-1);
    expect(d.effectiveTick()).toBe(0);
  });

  it('slips upcoming dates monotonically and freezes them once flown', () => {
    const d = createDataset({ launches: 300, upcoming: 30 });
    const first = d.size - 30;
    let slipped = 0;
    for (let i = first; i < d.size + 200; i++) {
      const flightTick = d.flightTick(i);
      if (i < d.size) expect(flightTick).toBe(i - first + 1);
      for (let t = d.announceTick(i) + 1; t <= flightTick + 5; t++) {
        const before = d.launchDateMs(i, t - 1);
        const now = d.launchDateMs(i, t);
        expect(now).toBeGreaterThanOrEqual(before);
        if (now > before) slipped++;
        if (t > flightTick) expect(now).toBe(d.launchDateMs(i, flightTick));
      }
      const flown = d.launch(i, flightTick);
      expect(flown.upcoming).toBe(false);
      expect(flown.date_utc).toBe(d.launch(i, flightTick + 10).date_utc);
      expect(Date.parse(d.launch(i, flightTick - 1).date_utc)).toBeLessThanOrEqual(Date.parse(flown.date_utc));
    }
    expect(slipped).toBeGreaterThan(100);
  });

  it('never moves launches that flew before tick 0', () => {
    const d = createDataset({ launches: 300 });
    expect(d.launch(100, 50).date_utc).toBe(d.launch(100, 0).date_utc);
  });
});

describe('replay dataset: payload mapping', () => {
  const d = createDataset({ launches: 1000 });

  it('maps payload k to its launch and back', () => {
    for (let i = 0; i < d.size; i++) {
      const launch = d.launch(i);
      expect(d.payloadsOfLaunch(i).map((p) => p.id)).toEqual(launch.payloads);
      const [start, end] = d.payloadRange(i);
      for (let k = start; k < end; k++) {
        expect(d.launchOfPayload(k)).toBe(i);
        expect(d.payload(k).launch).toBe(launch.id);
      }
    }
    expect(d.payloadRange(d.size - 1)[1]).toBe(d.payloadCount);
  });

  it('decodes ids back to indexes and rejects foreign ones', () => {
    for (const i of [0, 17, 999]) expect(d.launchIndexOf(d.launch(i).id)).toBe(i);
    for (const k of [0, 5, d.payloadCount - 1]) expect(d.payloadIndexOf(d.payload(k).id)).toBe(k);
    expect(d.launchIndexOf(d.payload(0).id)).toBe(-1);
    expect(d.launchIndexOf('not-an-id')).toBe(-1);
    expect(d.launchIndexOf('0123456789abcdef01234567')).toBe(-1);
    expect(createDataset({ launches: 1000, seed: 7 }).launchIndexOf(d.launch(3).id)).toBe(-1);
    expect(new Set(allPayloads(d).map((p) => p.id)).size).toBe(d.payloadCount);
  });
});

describe('replay dataset: a million launches', () => {
  it('is created quickly from typed arrays and serves any document alone', () => {
    const started = Date.now();
    const d = createDataset({ launches: 1_000_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(d.launch(999_999).flight_number).toBe(1_000_000);
    expect(d.payload(d.payloadCount - 1).launch).toBe(d.launch(d.launchOfPayload(d.payloadCount - 1)).id);
    expect(d.launch(d.latestIndex()).date_utc.slice(0, 10)).toBe('2022-10-05');
  });
});
