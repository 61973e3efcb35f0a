// fetch: B1 无党组织小区 (queries.questions.B1.question.fetch_b1)
// returns: one row per Compound C1 does not count (no PartyOrg BASED_IN it, nor BASED_IN an
//   OwnerCommittee that REPRESENTS it with a term current on as_of): label, id, name,
//   community_id, street_id, district_id (null), reason 'no_party_org', detail (null)
// param: as_of (date, e.g. 2026-06-30): committee terms are current when term_start <= as_of <= term_end (empty bounds open)
MATCH (compound:Compound)
WHERE NOT EXISTS { (:PartyOrg)-[:BASED_IN]->(compound) }
  AND NOT EXISTS {
    MATCH (:PartyOrg)-[:BASED_IN]->(committee:OwnerCommittee)-[:REPRESENTS]->(compound)
    WHERE CURRENT_TERM(committee)
  }
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_party_org' AS reason, null AS detail
