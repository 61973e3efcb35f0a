// fetch: R4 兼职委员人选 (queries.questions.R4.question.fetch_r4)
// For each B18 大党委/大工委: the holders of a current head post (secretary, director,
// project_manager) in a ResidentUnit REGISTERED_WITH, a current OwnerCommittee REPRESENTING a
// compound of, or a PropertyCompany with a current MANAGES into a compound of, a community of its
// area (the communities it is BASED_IN, and those PART_OF the streets it is BASED_IN)
// (candidate rows, see fragments/candidate_rows.cypher; reason 'no_part_time_member',
// proposal 'part_time_member' in it).
// returns: label, id, name, community_id, street_id, district_id (null), reason, person_id,
//   person_name, phone, party_member, proposal, org_label, org_id, org_name, until, homes, posts,
//   member_of
// param: as_of (date, e.g. 2026-06-30): posts, contracts and terms are current when start <= as_of <= end (empty bounds open)
// fragment: committee_without_part_time_member
WITH committee AS thing, community.id AS community_id, street.id AS street_id, null AS district_id,
     'no_part_time_member' AS reason,
     COLLECT {
       MATCH (committee)-[:BASED_IN]->(area:Community) RETURN area
       UNION
       MATCH (committee)-[:BASED_IN]->(:Street)<-[:PART_OF]-(area:Community) RETURN area
     } AS communities
WITH thing, community_id, street_id, district_id, reason,
     COLLECT {
       UNWIND communities AS area
       CALL (area) {
         MATCH (org:ResidentUnit)-[:REGISTERED_WITH]->(area) RETURN org
         UNION
         MATCH (org:OwnerCommittee)-[:REPRESENTS]->(:Compound)-[:PART_OF]->(area)
         WHERE CURRENT_TERM(org)
         RETURN org
         UNION
         MATCH (org:PropertyCompany)-[contract:MANAGES]->(:Compound)-[:PART_OF]->(area)
         WHERE CURRENT(contract)
         RETURN org
       }
       MATCH (head:Person)-[post:HOLDS]->(org)
       WHERE post.role IN ['secretary', 'director', 'project_manager']
         AND CURRENT(post)
       RETURN DISTINCT head
     } AS heads
WITH thing, community_id, street_id, district_id, reason,
     [head IN heads | {person: head, proposal: 'part_time_member', org: thing, until: null}] AS candidates
// fragment: candidate_rows
