/** The documents of the simulated SpaceX API, with keys in the order the real API serialises them. */

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

export interface Measure {
  meters: number | null;
  feet: number | null;
}
export interface Thrust {
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
