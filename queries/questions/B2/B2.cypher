// fetch: B2 无人管理小区 (queries.questions.B2.question.fetch_b2)
// returns: one row per Compound with no MANAGES contract current on as_of and no OwnerCommittee
//   of kind self_management current on as_of REPRESENTING it: label, id, name, community_id,
//   street_id, district_id (null), reason 'unmanaged', detail (null)
// param: as_of (date, e.g. 2026-06-30): contracts and terms are current when start <= as_of <= end (empty bounds open)
// A list from the compound's own relationships, not EXISTS { }: the planner may start an EXISTS
// from an index over every committee (or company) and try each against each compound.
MATCH (compound:Compound)
WHERE NOT any(contract IN [(compound)<-[contract:MANAGES]-(:PropertyCompany) | contract] WHERE CURRENT(contract))
  AND NOT any(committee IN [(compound)<-[:REPRESENTS]-(committee:OwnerCommittee) | committee]
              WHERE committee.kind = 'self_management' AND CURRENT_TERM(committee))
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'unmanaged' AS reason, null AS detail
