// fetch: C9 业委会党组织覆盖率 (queries.questions.C9.question.fetch_c9)
// returns: one row per OwnerCommittee of kind owners_committee current on as_of: id, name,
//   community_id, street_id, district_id (null), covered (a PartyOrg is BASED_IN the committee);
//   the place is that of the first compound (by id) it REPRESENTS
// param: as_of (date, e.g. 2026-06-30): a committee is current when term_start <= as_of <= term_end (empty bounds open)
MATCH (committee:OwnerCommittee)
WHERE committee.kind = 'owners_committee'
  AND CURRENT_TERM(committee)
CALL (committee) {
  OPTIONAL MATCH (committee)-[:REPRESENTS]->(compound:Compound)
  WITH compound ORDER BY compound.id LIMIT 1
  // fragment: compound_place
  RETURN community.id AS community_id, street.id AS street_id
}
RETURN committee.id AS id, committee.name AS name,
       community_id, street_id, null AS district_id,
       EXISTS { (:PartyOrg)-[:BASED_IN]->(committee) } AS covered
