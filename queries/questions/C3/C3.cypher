// fetch: C3 业委会组建率 (queries.questions.C3.question.fetch_c3)
// returns: one row per Compound: id, name, community_id, street_id, district_id (null), covered
//   (an OwnerCommittee of kind owners_committee, current on as_of, REPRESENTS it)
// param: as_of (date, e.g. 2026-06-30): a committee is current when term_start <= as_of <= term_end (empty bounds open)
MATCH (compound:Compound)
// fragment: compound_place
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       // A list from the compound's own relationships, not EXISTS { }: the planner may start an
       // EXISTS from an index over every committee (or company) and try each against each compound.
       any(committee IN [(compound)<-[:REPRESENTS]-(committee:OwnerCommittee) | committee]
           WHERE committee.kind = 'owners_committee' AND CURRENT_TERM(committee)) AS covered
