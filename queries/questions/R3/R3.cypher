// fetch: R3 党员中心户人选 (queries.questions.R3.question.fetch_r3)
// For each B15 党小组: its members and the people who live in a Building it is BASED_IN
// (candidate rows, see fragments/candidate_rows.cypher; reason 'no_central_household',
// proposal 'central_household' in the group).
// returns: label, id, name, community_id, street_id, district_id, reason, person_id,
//   person_name, phone, party_member, proposal, org_label, org_id, org_name, until, homes, posts,
//   member_of
// param: as_of (date, e.g. 2026-06-30): posts are current when start <= as_of <= end (empty bounds open)
// fragment: group_without_central_household
// fragment: place
WITH thing, community_id, street_id, district_id, 'no_central_household' AS reason,
     COLLECT {
       MATCH (person:Person)-[:MEMBER_OF]->(thing) RETURN person
       UNION
       MATCH (person:Person)-[:LIVES_IN]->(:Building)<-[:BASED_IN]-(thing) RETURN person
     } AS people
WITH thing, community_id, street_id, district_id, reason,
     [person IN people | {person: person, proposal: 'central_household', org: thing, until: null}] AS candidates
// fragment: candidate_rows
