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
    WHERE (committee.term_start IS NULL OR committee.term_start <= date($as_of))
      AND (committee.term_end IS NULL OR committee.term_end >= date($as_of))
  }
  AND EXISTS {
    MATCH (:PropertyCompany)-[contract:MANAGES]->(compound)
    WHERE (contract.start IS NULL OR contract.start <= date($as_of))
      AND (contract.end IS NULL OR contract.end >= date($as_of))
  }
WITH compound, community, street,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(:PartyOrg)-[:BASED_IN]->(compound)
       WHERE (post.start IS NULL OR post.start <= date($as_of))
         AND (post.end IS NULL OR post.end >= date($as_of))
       RETURN person
       UNION
       MATCH (person:Person)-[post:HOLDS]->(:PartyOrg)-[:BASED_IN]->(community)
       WHERE (post.start IS NULL OR post.start <= date($as_of))
         AND (post.end IS NULL OR post.end >= date($as_of))
       RETURN person
     } AS party,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(community)
       WHERE (post.start IS NULL OR post.start <= date($as_of))
         AND (post.end IS NULL OR post.end >= date($as_of))
       RETURN DISTINCT person
     } AS community_staff,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(committee:OwnerCommittee)-[:REPRESENTS]->(compound)
       WHERE (post.start IS NULL OR post.start <= date($as_of))
         AND (post.end IS NULL OR post.end >= date($as_of))
         AND (committee.term_start IS NULL OR committee.term_start <= date($as_of))
         AND (committee.term_end IS NULL OR committee.term_end >= date($as_of))
       RETURN DISTINCT person
     } AS committee_members,
     COLLECT {
       MATCH (person:Person)-[post:HOLDS]->(company:PropertyCompany)
       WHERE (post.start IS NULL OR post.start <= date($as_of))
         AND (post.end IS NULL OR post.end >= date($as_of))
         AND EXISTS {
           MATCH (company)-[contract:MANAGES]->(compound)
           WHERE (contract.start IS NULL OR contract.start <= date($as_of))
             AND (contract.end IS NULL OR contract.end >= date($as_of))
         }
       RETURN DISTINCT person
     } AS company_staff
