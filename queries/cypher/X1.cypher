// fetch: X1 交叉任职人员 (queries.cross.fetch_x1)
// returns: every current post of each person whose current posts reach two or more organisation
//   kinds (PartyOrg, OwnerCommittee, PropertyCompany, Community, ResidentUnit; posts in a Grid,
//   Building or Street are listed but count towards no kind). One "post row" per post:
//   person_id, person_name, phone, org_label, org_id, org_name, role, part_time, start, end (dates,
//   ISO or null), community_id, street_id, district_id (the organisation's place).
// param: as_of (date, e.g. 2026-06-30): posts and contracts are current when start <= as_of <= end (empty bounds open)
MATCH (person:Person)-[post:HOLDS]->(org)
WHERE (post.start IS NULL OR post.start <= date($as_of))
  AND (post.end IS NULL OR post.end >= date($as_of))
WITH person, collect(post) AS posts,
     collect(DISTINCT CASE WHEN org:PartyOrg OR org:OwnerCommittee OR org:PropertyCompany
                                OR org:Community OR org:ResidentUnit THEN labels(org)[0] END) AS kinds
WHERE size(kinds) >= 2
UNWIND posts AS post
WITH person, post, endNode(post) AS thing
// place: the community_id, street_id, district_id of `thing` (docs/definitions.md, "where a
// thing is"); the same block in every file that places things of several labels. A PartyOrg is
// where its first BASED_IN target (by label, then id) is; a Building (the only PART_OF source
// below a compound) where its compound is; an OwnerCommittee where its first compound (by id)
// is; a PropertyCompany where the first compound (by id) it manages under a current contract
// is; a ResidentUnit in its first community (by id); a Person nowhere.
CALL (thing) {
  OPTIONAL MATCH (thing:PartyOrg)-[:BASED_IN]->(base)
  WITH thing, base ORDER BY labels(base)[0], base.id LIMIT 1
  WITH coalesce(base, thing) AS located
  CALL (located) {
    MATCH (located)-[:PART_OF]->(anchor:Compound) RETURN anchor
    UNION
    MATCH (located)-[:REPRESENTS]->(anchor:Compound) RETURN anchor
    UNION
    MATCH (located)-[contract:MANAGES]->(anchor:Compound)
    WHERE (contract.start IS NULL OR contract.start <= date($as_of))
      AND (contract.end IS NULL OR contract.end >= date($as_of))
    RETURN anchor
    UNION
    MATCH (located)-[:REGISTERED_WITH]->(anchor:Community) WHERE NOT located:Person RETURN anchor
    UNION
    WITH located AS anchor
    WHERE anchor:Compound OR anchor:Grid OR anchor:Community OR anchor:Street OR anchor:District
    RETURN anchor
  }
  WITH anchor ORDER BY anchor.id
  WITH head(collect(anchor)) AS anchor
  OPTIONAL MATCH (anchor)-[:PART_OF]->(parent:Community)
  WITH anchor, CASE WHEN anchor:Community THEN anchor ELSE parent END AS community
  OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
  OPTIONAL MATCH (anchor:Street)-[:PART_OF]->(district:District)
  RETURN community.id AS community_id,
         CASE WHEN anchor:Street THEN anchor.id ELSE street.id END AS street_id,
         CASE WHEN anchor:District THEN anchor.id ELSE district.id END AS district_id
}
// place: end
RETURN person.id AS person_id, person.name AS person_name, person.phone AS phone,
       labels(thing)[0] AS org_label, thing.id AS org_id, thing.name AS org_name,
       post.role AS role, coalesce(post.part_time, false) AS part_time,
       post.start AS start, post.end AS end,
       community_id, street_id, district_id
