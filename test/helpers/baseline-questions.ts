/**
 * The four analytical questions asked of PostgreSQL directly, written independently of
 * sql/analytics (which Trino runs): the baseline the Trino test checks answers against and the
 * benchmark times Trino against. Keyed by the name of the sql/analytics file they mirror.
 */
import q1 from './baseline-questions/1_success_rate_by_year.sql';
import q2 from './baseline-questions/2_top_launches_by_payload_mass.sql';
import q3 from './baseline-questions/3_delay_by_year.sql';
import q4 from './baseline-questions/4_launches_per_site.sql';

export const BASELINE_QUESTIONS = {
  '1_success_rate_by_year': q1,
  '2_top_launches_by_payload_mass': q2,
  '3_delay_by_year': q3,
  '4_launches_per_site': q4,
} as const;

export type QuestionName = keyof typeof BASELINE_QUESTIONS;
