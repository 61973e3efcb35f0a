// fetch: C7 物业企业党组织覆盖 (queries.questions.C7.question.fetch_c7)
// returns: one row per (PropertyCompany, Compound it MANAGES under a contract current on as_of),
//   a compound once however many current contracts: id, name, compound_id, community_id,
//   street_id, district_id (null; the compound's place), covered (a PartyOrg is BASED_IN the
//   company; the same on every row of one company). Companies without a current contract: no row.
// param: as_of (date, e.g. 2026-06-30): a contract is current when start <= as_of <= end (empty bounds open)
MATCH (company:PropertyCompany)
WITH company, COLLECT {
  MATCH (company)-[contract:MANAGES]->(compound:Compound)
  WHERE CURRENT(contract)
  RETURN DISTINCT compound
} AS compounds
WITH company, compounds, EXISTS { (:PartyOrg)-[:BASED_IN]->(company) } AS covered
UNWIND compounds AS compound
// fragment: compound_place
RETURN company.id AS id, company.name AS name, compound.id AS compound_id,
       community.id AS community_id, street.id AS street_id, null AS district_id, covered
