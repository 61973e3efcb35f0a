// x2_sides: each Compound X2 assesses (a party side, a current owner committee and a current
// company) with its `community`, `street` and the people of each side: `party` (current posts in a
// party-side PartyOrg), `community_staff`, `committee_members`, `company_staff` (queries.cross.fetch_x2)
MATCH (compound:Compound)
// fragment: compound_place
WITH compound, community, street
WHERE (EXISTS { (:PartyOrg)-[:BASED_IN]->(compound) }
       OR EXISTS { (:PartyOrg)-[:BASED_IN]->(community) })
  AND EXISTS {
    MATCH (committee:OwnerCommittee)-[:REPRESENTS]->(compound)
    WHERE CURRENT_TERM(committee)
  }
  AND EXISTS {
    MATCH (:PropertyCompany)-[contract:MANAGES]->(compound)
    WHERE CURRENT(contract)
  }
WITH compound, community, street,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(:PartyOrg)-[:BASED_IN]->(compound)
       WHERE CURRENT(post)
       RETURN person
       UNION
       MATCH (person:Person)-[post:HOLDS]->(:PartyOrg)-[:BASED_IN]->(community)
       WHERE CURRENT(post)
       RETURN person
     } AS party,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(community)
       WHERE CURRENT(post)
       RETURN DISTINCT person
     } AS community_staff,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(committee:OwnerCommittee)-[:REPRESENTS]->(compound)
       WHERE CURRENT(post)
         AND CURRENT_TERM(committee)
       RETURN DISTINCT person
     } AS committee_members,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(company:PropertyCompany)
       WHERE CURRENT(post)
         AND EXISTS {
           MATCH (company)-[contract:MANAGES]->(compound)
           WHERE CURRENT(contract)
         }
       RETURN DISTINCT person
     } AS company_staff
