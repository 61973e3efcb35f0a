// fetch: B7 物业企业党建空白 (queries.questions.B7.question.fetch_b7)
// returns: for each PropertyCompany with a MANAGES contract current on as_of, no PartyOrg
//   BASED_IN it and no post current on as_of with role instructor in it, one row per compound it
//   currently manages (a compound once): label, id, name, compound_id, community_id, street_id,
//   district_id (null; the compound's place), reason 'no_party_coverage', detail (null)
// param: as_of (date, e.g. 2026-06-30): contracts and posts are current when start <= as_of <= end (empty bounds open)
MATCH (company:PropertyCompany)
WHERE NOT EXISTS { (:PartyOrg)-[:BASED_IN]->(company) }
  AND NOT EXISTS {
    MATCH (:Person)-[post:HOLDS]->(company)
    WHERE post.role = 'instructor'
      AND CURRENT(post)
  }
MATCH (company)-[contract:MANAGES]->(compound:Compound)
WHERE CURRENT(contract)
WITH DISTINCT company, compound
// fragment: compound_place
RETURN 'PropertyCompany' AS label, company.id AS id, company.name AS name, compound.id AS compound_id,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_party_coverage' AS reason, null AS detail
