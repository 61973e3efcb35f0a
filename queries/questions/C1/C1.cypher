// fetch: C1 小区党组织覆盖率 (queries.questions.C1.question.fetch_c1)
// returns: one row per Compound: id, name, community_id, street_id, district_id (null), covered
//   (at least one PartyOrg is BASED_IN the compound, or BASED_IN an OwnerCommittee of any kind
//   that REPRESENTS it with a term current on as_of: 贺州's 业委会党支部)
// param: as_of (date, e.g. 2026-06-30): committee terms are current when term_start <= as_of <= term_end (empty bounds open)
MATCH (compound:Compound)
// fragment: compound_place
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       EXISTS { (:PartyOrg)-[:BASED_IN]->(compound) }
       OR EXISTS {
         MATCH (:PartyOrg)-[:BASED_IN]->(committee:OwnerCommittee)-[:REPRESENTS]->(compound)
         WHERE CURRENT_TERM(committee)
       } AS covered
