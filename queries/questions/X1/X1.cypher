// fetch: X1 交叉任职人员 (queries.questions.X1.question.fetch_x1)
// returns: every current post of each person whose current posts reach two or more organisation
//   kinds (PartyOrg, OwnerCommittee, PropertyCompany, Community, ResidentUnit; posts in a Grid,
//   Building or Street are listed but count towards no kind). One "post row" per post:
//   person_id, person_name, phone, org_label, org_id, org_name, role, part_time, start, end (dates,
//   ISO or null), community_id, street_id, district_id (the organisation's place).
// param: as_of (date, e.g. 2026-06-30): posts and contracts are current when start <= as_of <= end (empty bounds open)
MATCH (person:Person)-[post:HOLDS]->(org)
WHERE CURRENT(post)
WITH person, collect(post) AS posts,
     collect(DISTINCT CASE WHEN org:PartyOrg OR org:OwnerCommittee OR org:PropertyCompany
                                OR org:Community OR org:ResidentUnit THEN labels(org)[0] END) AS kinds
WHERE size(kinds) >= 2
UNWIND posts AS post
WITH person, post, endNode(post) AS thing
// fragment: place
// fragment: post_row
