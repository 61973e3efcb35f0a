// fetch: C8 物业企业党建工作覆盖 (queries.questions.C8.question.fetch_c8)
// returns: rows shaped as C7 (one per company and compound it currently manages); covered: a
//   PartyOrg is BASED_IN the company, or a Person HOLDS a post current on as_of with role
//   instructor (党建指导员) in it
// param: as_of (date, e.g. 2026-06-30): contracts and posts are current when start <= as_of <= end (empty bounds open)
MATCH (company:PropertyCompany)
WITH company, COLLECT {
  MATCH (company)-[contract:MANAGES]->(compound:Compound)
  WHERE CURRENT(contract)
  RETURN DISTINCT compound
} AS compounds
WITH company, compounds,
     EXISTS { (:PartyOrg)-[:BASED_IN]->(company) }
     OR EXISTS {
       MATCH (:Person)-[post:HOLDS]->(company)
       WHERE post.role = 'instructor'
         AND CURRENT(post)
     } AS covered
UNWIND compounds AS compound
// fragment: compound_place
RETURN company.id AS id, company.name AS name, compound.id AS compound_id,
       community.id AS community_id, street.id AS street_id, null AS district_id, covered
