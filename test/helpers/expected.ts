/**
 * The aggregate contract computed in plain TypeScript from source documents, independently
 * of the SQL: tests compare the pipeline's tables with this.
 */
export interface LaunchDoc {
  id: string;
  date_utc: string;
  upcoming: boolean;
  success: boolean | null;
  static_fire_date_utc: string | null;
  /** The launchpad's id; null or absent: no site. */
  launchpad?: string | null;
  payloads: string[];
}
export interface PayloadDoc {
  id: string;
  mass_kg: number | null;
}

export interface Measures {
  total_launches: number;
  successful_launches: number;
  failed_launches: number;
  success_rate: number | null;
  avg_payload_mass_kg: number | null;
  avg_launch_payload_mass_kg: number | null;
  avg_delay_hours: number | null;
  max_delay_hours: number | null;
  delay_sample_size: number;
  avg_static_fire_lead_hours: number | null;
}

/** One launchpad's row of launch_aggregates_by_site (analytics question 4). */
export interface SiteMeasures {
  /** Past launches from the launchpad. */
  total_launches: number;
  /** Sum, over those launches, of the known masses of their distinct payloads. */
  payload_mass_kg_sum: number;
  /** Those launches with at least one known payload mass. */
  launches_with_payload_mass: number;
}

const HOUR = 3_600_000;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/**
 * `observations` are the launch lists the pipeline saw, oldest first; the last one is the
 * current state. The slip baseline of a launch is its earliest date_utc in any observation
 * where it was upcoming.
 */
export function expectedAggregates(
  observations: LaunchDoc[][],
  payloads: PayloadDoc[],
): { overall: Measures; byYear: Map<number, Measures>; bySite: Map<string, SiteMeasures> } {
  const baseline = new Map<string, number>();
  for (const launches of observations) {
    for (const l of launches) {
      if (!l.upcoming) continue;
      const t = Date.parse(l.date_utc);
      baseline.set(l.id, Math.min(baseline.get(l.id) ?? Infinity, t));
    }
  }
  const mass = new Map(payloads.map((p) => [p.id, p.mass_kg]));
  const current = observations[observations.length - 1].filter((l) => !l.upcoming);
  const byYear = new Map<number, LaunchDoc[]>();
  for (const l of current) {
    const year = new Date(l.date_utc).getUTCFullYear();
    byYear.set(year, [...(byYear.get(year) ?? []), l]);
  }
  /** The known masses of a launch's distinct payloads. */
  const knownMasses = (l: LaunchDoc) =>
    [...new Set(l.payloads)].map((id) => mass.get(id)).filter((m): m is number => typeof m === 'number');
  const measure = (launches: LaunchDoc[]): Measures => {
    const payloadMasses: number[] = [];
    const launchMasses: number[] = [];
    const delays: number[] = [];
    const leads: number[] = [];
    for (const l of launches) {
      const known = knownMasses(l);
      payloadMasses.push(...known);
      if (known.length) launchMasses.push(known.reduce((a, b) => a + b, 0));
      const base = baseline.get(l.id);
      if (base !== undefined) delays.push((Date.parse(l.date_utc) - base) / HOUR);
      if (l.static_fire_date_utc && Date.parse(l.static_fire_date_utc) <= Date.parse(l.date_utc)) {
        leads.push((Date.parse(l.date_utc) - Date.parse(l.static_fire_date_utc)) / HOUR);
      }
    }
    const ok = launches.filter((l) => l.success === true).length;
    const failed = launches.filter((l) => l.success === false).length;
    return {
      total_launches: launches.length,
      successful_launches: ok,
      failed_launches: failed,
      success_rate: ok + failed ? ok / (ok + failed) : null,
      avg_payload_mass_kg: mean(payloadMasses),
      avg_launch_payload_mass_kg: payloadMasses.length ? payloadMasses.reduce((a, b) => a + b, 0) / launchMasses.length : null,
      avg_delay_hours: mean(delays),
      max_delay_hours: delays.length ? Math.max(...delays) : null,
      delay_sample_size: delays.length,
      avg_static_fire_lead_hours: mean(leads),
    };
  };
  // Per launchpad: past launches only; a launch without a launchpad belongs to no site.
  const bySite = new Map<string, SiteMeasures>();
  for (const l of current) {
    if (typeof l.launchpad !== 'string') continue;
    const site = bySite.get(l.launchpad) ?? { total_launches: 0, payload_mass_kg_sum: 0, launches_with_payload_mass: 0 };
    const known = knownMasses(l);
    site.total_launches += 1;
    site.payload_mass_kg_sum += known.reduce((a, b) => a + b, 0);
    if (known.length) site.launches_with_payload_mass += 1;
    bySite.set(l.launchpad, site);
  }
  return { overall: measure(current), byYear: new Map([...byYear].map(([y, ls]) => [y, measure(ls)])), bySite };
}

/** Compares measures allowing for floating-point rounding only. */
export function expectMeasures(actual: Record<string, unknown>, expected: Measures): void {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key];
    if (value === null) {
      expect({ [key]: got }).toEqual({ [key]: null });
    } else {
      expect({ [key]: typeof got === 'number' ? Number(got.toPrecision(12)) : got }).toEqual({ [key]: Number(value.toPrecision(12)) });
    }
  }
}

/**
 * Compares launch_aggregates_by_site rows (or recompute.sql's) with the JS computation: counts
 * exactly, the mass sum allowing for floating-point rounding only. Every site on both sides.
 */
export function expectSites(actual: Record<string, unknown>[], expected: Map<string, SiteMeasures>): void {
  const normalise = (launchpad_id: string, m: Record<string, unknown>) => ({
    launchpad_id,
    total_launches: Number(m.total_launches),
    payload_mass_kg_sum: Number(Number(m.payload_mass_kg_sum).toPrecision(12)),
    launches_with_payload_mass: Number(m.launches_with_payload_mass),
  });
  const byId = (a: { launchpad_id: string }, b: { launchpad_id: string }) =>
    a.launchpad_id < b.launchpad_id ? -1 : a.launchpad_id > b.launchpad_id ? 1 : 0;
  expect(actual.map((r) => normalise(String(r.launchpad_id), r)).sort(byId)).toEqual(
    [...expected].map(([id, m]) => normalise(id, m as unknown as Record<string, unknown>)).sort(byId),
  );
}
