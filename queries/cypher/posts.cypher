// fetch: posts (queries.changes.fetch_posts): whose posts a diff follows
// returns: every current post (HOLDS relationship), as X1's post rows: person_id, person_name,
//   phone, org_label, org_id, org_name, role, part_time, start, end (dates, ISO or null),
//   community_id, street_id, district_id (the organisation's place).
// param: as_of (date, e.g. 2026-06-30): posts and contracts are current when start <= as_of <= end (empty bounds open)
MATCH (person:Person)-[post:HOLDS]->(thing)
WHERE CURRENT(post)
// fragment: place
// fragment: post_row
