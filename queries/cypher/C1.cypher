// fetch: C1 小区党组织覆盖率 (queries.coverage.fetch_c1)
// returns: one row per Compound: id, name, community_id, street_id, district_id (null), covered
//   (at least one PartyOrg is BASED_IN the compound)
// param: as_of (unused): BASED_IN carries no dates, and a compound's place does not change
MATCH (compound:Compound)
// fragment: compound_place
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       EXISTS { (:PartyOrg)-[:BASED_IN]->(compound) } AS covered
