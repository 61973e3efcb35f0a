// committee_without_part_time_member: each 大党委/大工委 `committee` with no current part-time member,
// with the `community` and `street` of its first area by id (B18, queries.blindspots.fetch_b18)
MATCH (committee:PartyOrg)
WHERE committee.kind IN ['committee', 'general_branch', 'working_committee']
  AND NOT EXISTS {
    MATCH (:Person)-[post:HOLDS]->(committee)
    WHERE (post.role IN ['part_time_member', 'part_time_deputy_secretary'] OR post.part_time = true)
      AND CURRENT(post)
  }
CALL (committee) {
  MATCH (committee)-[:BASED_IN]->(area)
  WHERE (area:Community AND committee.kind IN ['committee', 'general_branch'])
     OR (area:Street AND committee.kind = 'working_committee')
  WITH area ORDER BY area.id LIMIT 1
  OPTIONAL MATCH (area:Community)-[:PART_OF]->(street:Street)
  RETURN CASE WHEN area:Community THEN area END AS community,
         CASE WHEN area:Street THEN area ELSE street END AS street
}
