// title_zh: 物业企业及其服务小区
// title_en: Property companies and the compounds they manage
// description: Every MANAGES contract of compounds in the street, with start and end dates and whether it is current on as_of, and whether the company has a party organisation based in it.
// param: street_id (str, e.g. S01): ledger code of the street (街道编码)
// param: as_of (date, e.g. 2026-11-23): day on which a contract counts as current
MATCH (:Street {id: $street_id})<-[:PART_OF]-(:Community)<-[:PART_OF]-(compound:Compound)
MATCH (company:PropertyCompany)-[contract:MANAGES]->(compound)
RETURN company.id AS company_id, company.name AS company,
       EXISTS { MATCH (:PartyOrg)-[:BASED_IN]->(company) } AS has_party_org,
       compound.id AS compound_id, compound.name AS compound,
       contract.start AS start, contract.end AS end,
       CURRENT(contract) AS current
ORDER BY company_id, compound_id, start
