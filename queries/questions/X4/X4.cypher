// fetch: X4 利益冲突 (queries.questions.X4.question.fetch_x4)
// returns: one row per (person, compound, committee post, company post) where the person holds a
//   post current on as_of in an OwnerCommittee current on as_of that REPRESENTS the compound, and
//   a current post in a PropertyCompany with a current MANAGES contract into that compound.
//   Columns: person_id, person_name, phone, compound_id, compound_name, community_id, street_id,
//   district_id (null; the compound's place), committee_id, committee_name, committee_role,
//   company_id, company_name, company_role.
// param: as_of (date, e.g. 2026-06-30): posts, contracts and terms are current when start <= as_of <= end (empty bounds open)
MATCH (committee:OwnerCommittee)-[:REPRESENTS]->(compound:Compound)
WHERE CURRENT_TERM(committee)
MATCH (person:Person)-[committee_post:HOLDS]->(committee)
WHERE CURRENT(committee_post)
MATCH (person)-[company_post:HOLDS]->(company:PropertyCompany)
WHERE CURRENT(company_post)
  AND EXISTS {
    MATCH (company)-[contract:MANAGES]->(compound)
    WHERE CURRENT(contract)
  }
// fragment: compound_place
RETURN person.id AS person_id, person.name AS person_name, person.phone AS phone,
       compound.id AS compound_id, compound.name AS compound_name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       committee.id AS committee_id, committee.name AS committee_name,
       committee_post.role AS committee_role,
       company.id AS company_id, company.name AS company_name, company_post.role AS company_role
