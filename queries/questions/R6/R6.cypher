// fetch: R6 党员入组去向 (queries.questions.R6.question.fetch_r6)
// For each B13 party member (placed as B13 places them): the PartyOrgs BASED_IN the nearest place
// they live that has one — a Building they LIVE_IN, else its Compound, else a Grid that COVERS
// the building or its compound (candidate rows, see fragments/candidate_rows.cypher; reason
// 'not_in_group', the person the member, proposal 'join' each organisation).
// returns: label, id, name, community_id, street_id, district_id, reason, person_id,
//   person_name, phone, party_member, proposal, org_label, org_id, org_name, until, homes, posts,
//   member_of
// param: as_of (date, e.g. 2026-06-30): posts are current when start <= as_of <= end (empty bounds open), for the evidence
MATCH (person:Person)
WHERE person.party_member = true
// fragment: party_member_place
WITH person, thing, in_group
WHERE NOT in_group
// fragment: place
WITH person AS thing, community_id, street_id, district_id, 'not_in_group' AS reason,
     COLLECT {
       MATCH (person)-[:LIVES_IN]->(:Building)<-[:BASED_IN]-(org:PartyOrg) RETURN DISTINCT org
     } AS at_home,
     COLLECT {
       MATCH (person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Compound)<-[:BASED_IN]-(org:PartyOrg)
       RETURN DISTINCT org
     } AS at_compound,
     COLLECT {
       MATCH (person)-[:LIVES_IN]->(:Building)<-[:COVERS]-(:Grid)<-[:BASED_IN]-(org:PartyOrg) RETURN org
       UNION
       MATCH (person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Compound)<-[:COVERS]-(:Grid)<-[:BASED_IN]-(org:PartyOrg)
       RETURN org
     } AS at_grid
WITH thing, community_id, street_id, district_id, reason,
     [org IN CASE WHEN size(at_home) > 0 THEN at_home WHEN size(at_compound) > 0 THEN at_compound ELSE at_grid END
      | {person: thing, proposal: 'join', org: org, until: null}] AS candidates
// fragment: candidate_rows
