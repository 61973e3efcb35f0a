// fetch: X5 职务集中 (queries.questions.X5.question.fetch_x5)
// returns: every current post of each person with more than n current posts (HOLDS
//   relationships), as X1's post rows: person_id, person_name, phone, org_label, org_id,
//   org_name, role, part_time, start, end (dates, ISO or null), community_id, street_id,
//   district_id (the organisation's place).
// param: as_of (date, e.g. 2026-06-30): posts and contracts are current when start <= as_of <= end (empty bounds open)
// param: n (int, e.g. 3): a person is listed with more than n current posts
MATCH (person:Person)-[post:HOLDS]->()
WHERE CURRENT(post)
WITH person, collect(post) AS posts
WHERE size(posts) > $n
UNWIND posts AS post
WITH person, post, endNode(post) AS thing
// fragment: place
// fragment: post_row
