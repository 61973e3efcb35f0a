// fetch: B3 无业委会(物管会)小区 (queries.questions.B3.question.fetch_b3)
// returns: one row per Compound no OwnerCommittee of kind owners_committee or
//   management_committee, current on as_of, REPRESENTS: label, id, name, community_id,
//   street_id, district_id (null), reason 'no_owner_committee', detail (null)
// param: as_of (date, e.g. 2026-06-30): a committee is current when term_start <= as_of <= term_end (empty bounds open)
// A list from the compound's own relationships, not EXISTS { }: the planner may start an EXISTS
// from an index over every committee (or company) and try each against each compound.
MATCH (compound:Compound)
WHERE NOT any(committee IN [(compound)<-[:REPRESENTS]-(committee:OwnerCommittee) | committee]
              WHERE committee.kind IN ['owners_committee', 'management_committee'] AND CURRENT_TERM(committee))
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_owner_committee' AS reason, null AS detail
