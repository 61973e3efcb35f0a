// fetch: X5 职务集中 (queries.cross.fetch_x5)
// returns: every current post of each person with more than n current posts (HOLDS
//   relationships), as X1's post rows: person_id, person_name, phone, org_label, org_id,
//   org_name, role, part_time, start, end (dates, ISO or null), community_id, street_id,
//   district_id (the organisation's place).
// param: as_of (date, e.g. 2026-06-30): posts and contracts are current when start <= as_of <= end (empty bounds open)
// param: n (int, e.g. 3): a person is listed with more than n current posts
MATCH (person:Person)-[post:HOLDS]->()
WHERE (post.start IS NULL OR post.start <= date($as_of))
  AND (post.end IS NULL OR post.end >= date($as_of))
WITH person, collect(post) AS posts
WHERE size(posts) > $n
UNWIND posts AS post
WITH person, post, endNode(post) AS thing
// fragment: place
RETURN person.id AS person_id, person.name AS person_name, person.phone AS phone,
       labels(thing)[0] AS org_label, thing.id AS org_id, thing.name AS org_name,
       post.role AS role, coalesce(post.part_time, false) AS part_time,
       post.start AS start, post.end AS end,
       community_id, street_id, district_id
