-- 005: the heaviest launches (analytics question 2) read straight off one index.
-- Many launches share the top mass (all launches of a Starlink generation weigh the same), so
-- an index on the mass alone left PostgreSQL to fetch every tied launch and sort them by date
-- and flight number (~2 s at 1M launches). launch_facts now carries both, and the index holds
-- the question's whole order: the top 5 are its first 5 entries.
ALTER TABLE launch_facts ADD COLUMN date_utc timestamptz, ADD COLUMN flight_number integer;
UPDATE launch_facts f SET date_utc = l.date_utc, flight_number = l.flight_number FROM launches l WHERE l.id = f.launch_id;
DROP INDEX launch_facts_payload_mass;
CREATE INDEX launch_facts_payload_mass ON launch_facts (payload_mass_kg DESC NULLS LAST, date_utc, flight_number);
