// fetch: R5 楼长人选 (queries.questions.R5.question.fetch_r5)
// For each Building C10 does not count (no current building_leader post in it): the people who
// live in it (candidate rows, see fragments/candidate_rows.cypher; reason 'no_building_leader',
// proposal 'building_leader' in it). The place is its compound's.
// returns: label, id, name, community_id, street_id, district_id (null), reason, person_id,
//   person_name, phone, party_member, proposal, org_label, org_id, org_name, until, homes, posts,
//   member_of
// param: as_of (date, e.g. 2026-06-30): a post is current when start <= as_of <= end (empty bounds open)
MATCH (thing:Building)
WHERE NOT EXISTS {
  MATCH (:Person)-[post:HOLDS]->(thing)
  WHERE post.role = 'building_leader'
    AND CURRENT(post)
}
OPTIONAL MATCH (thing)-[:PART_OF]->(compound:Compound)
// each compound placed once, not once per building
WITH compound, collect(thing) AS things
// fragment: compound_place
UNWIND things AS thing
WITH thing, community.id AS community_id, street.id AS street_id, null AS district_id,
     'no_building_leader' AS reason,
     [resident IN COLLECT { MATCH (resident:Person)-[:LIVES_IN]->(thing) RETURN resident }
      | {person: resident, proposal: 'building_leader', org: thing, until: null}] AS candidates
// fragment: candidate_rows
