-- Removes the link rows of the launches listed in $1 (text[]: the launches a merge appended a
-- new version of that already had one), before load.ts COPYs their new link rows. Only those:
-- a launch seen for the first time has no link rows, and within the load's transaction the
-- link tables have no statistics yet, so PostgreSQL plans a long id list as a full scan.
DELETE FROM launch_payloads WHERE launch_id = ANY($1::text[]);

DELETE FROM launch_cores WHERE launch_id = ANY($1::text[]);
