// fetch: X3 兼职委员 (queries.questions.X3.question.fetch_x3)
// For each 大党委 (PartyOrg of kind committee or general_branch BASED_IN a Community) and 大工委
// (kind working_committee BASED_IN a Street), placed in the first such area (by id).
// returns: one committee row (person_*, role and source_* null), plus for each post current on
//   as_of in it with role part_time_member or part_time_deputy_secretary or part_time true, one
//   row per other current post of that person (in an organisation other than this one:
//   source_*), or one row with source_* null when they hold none. Columns: id, name,
//   community_id, street_id, district_id (null), person_id, person_name, phone, role (the post
//   in the committee), source_label, source_id, source_name, source_role.
// param: as_of (date, e.g. 2026-06-30): posts are current when start <= as_of <= end (empty bounds open)
MATCH (committee:PartyOrg)
WHERE committee.kind IN ['committee', 'general_branch', 'working_committee']
CALL (committee) {
  MATCH (committee)-[:BASED_IN]->(area)
  WHERE (area:Community AND committee.kind IN ['committee', 'general_branch'])
     OR (area:Street AND committee.kind = 'working_committee')
  WITH area ORDER BY area.id LIMIT 1
  OPTIONAL MATCH (area:Community)-[:PART_OF]->(street:Street)
  RETURN CASE WHEN area:Community THEN area END AS community,
         CASE WHEN area:Street THEN area ELSE street END AS street
}
CALL (committee) {
  RETURN null AS person, null AS role, null AS source, null AS source_role
  UNION ALL
  MATCH (person:Person)-[post:HOLDS]->(committee)
  WHERE CURRENT(post)
    AND (post.role IN ['part_time_member', 'part_time_deputy_secretary'] OR post.part_time = true)
  OPTIONAL MATCH (person)-[other:HOLDS]->(source)
  WHERE source <> committee
    AND CURRENT(other)
  RETURN person, post.role AS role, source, other.role AS source_role
}
RETURN committee.id AS id, committee.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       person.id AS person_id, person.name AS person_name, person.phone AS phone, role,
       labels(source)[0] AS source_label, source.id AS source_id, source.name AS source_name,
       source_role
