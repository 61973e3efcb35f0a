// title_zh: 街道内没有党组织的小区
// title_en: Compounds in a street without a party organisation
// description: Compounds of the street that no PartyOrg is BASED_IN (the gaps behind coverage C1), with their community, property company and owner committee for follow-up.
// param: street_id (str, e.g. S01): ledger code of the street (街道编码)
MATCH (:Street {id: $street_id})<-[:PART_OF]-(community:Community)<-[:PART_OF]-(compound:Compound)
WHERE NOT EXISTS { MATCH (:PartyOrg)-[:BASED_IN]->(compound) }
OPTIONAL MATCH (company:PropertyCompany)-[:MANAGES]->(compound)
OPTIONAL MATCH (committee:OwnerCommittee)-[:REPRESENTS]->(compound)
RETURN community.name AS community, compound.id AS compound_id, compound.name AS compound,
       collect(DISTINCT company.name) AS property_companies,
       collect(DISTINCT committee.name) AS owner_committees
ORDER BY community, compound_id
