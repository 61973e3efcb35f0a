// fetch: B1 无党组织小区 (queries.blindspots.fetch_b1)
// returns: one row per Compound no PartyOrg is BASED_IN: label, id, name, community_id,
//   street_id, district_id (null), reason 'no_party_org', detail (null)
// param: as_of (unused): BASED_IN carries no dates, and a compound's place does not change
MATCH (compound:Compound)
WHERE NOT EXISTS { (:PartyOrg)-[:BASED_IN]->(compound) }
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_party_org' AS reason, null AS detail
