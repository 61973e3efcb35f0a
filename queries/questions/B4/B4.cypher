// fetch: B4 业委会逾期未换届 (queries.questions.B4.question.fetch_b4)
// returns: one row per OwnerCommittee (any kind) whose term_end is before as_of: label, id, name,
//   community_id, street_id, district_id (null), reason 'term_expired', detail (term_end, ISO);
//   the place is that of the first compound (by id) it REPRESENTS
// param: as_of (date, e.g. 2026-06-30): the day a term must still run on
MATCH (committee:OwnerCommittee)
WHERE committee.term_end < date($as_of)
CALL (committee) {
  OPTIONAL MATCH (committee)-[:REPRESENTS]->(compound:Compound)
  WITH compound ORDER BY compound.id LIMIT 1
  // fragment: compound_place
  RETURN community.id AS community_id, street.id AS street_id
}
RETURN 'OwnerCommittee' AS label, committee.id AS id, committee.name AS name,
       community_id, street_id, null AS district_id,
       'term_expired' AS reason, toString(committee.term_end) AS detail
