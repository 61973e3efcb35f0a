// x2_sides: each Compound (queries.cross.fetch_x2) with its `community`, `street`, its current
// `committees` and `companies`, its own party organisations `own` (BASED_IN it or in a current
// committee of it: 贺州's 业委会党支部) and its party side `orgs` (`own` and those BASED_IN its
// Community), the sides it `lacks` ('no_party_side', 'no_committee', 'no_company', in this order)
// and, when it lacks none, the people of each side: `party` (current posts in a party-side
// PartyOrg), `community_staff`, `committee_members`, `company_staff` (empty lists otherwise).
// Every list is drawn from the compound's own relationships, so the cost grows with the compound.
MATCH (compound:Compound)
// fragment: compound_place
WITH compound, community, street,
     [(compound)<-[:REPRESENTS]-(committee:OwnerCommittee) WHERE CURRENT_TERM(committee) | committee] AS committees,
     [(compound)<-[contract:MANAGES]-(company:PropertyCompany) WHERE CURRENT(contract) | company] AS companies
WITH compound, community, street, committees, companies,
     [(compound)<-[:BASED_IN]-(org:PartyOrg) | org]
     + reduce(found = [], committee IN committees | found + [(committee)<-[:BASED_IN]-(org:PartyOrg) | org]) AS own
WITH compound, community, street, committees, companies, own,
     own + coalesce([(community)<-[:BASED_IN]-(org:PartyOrg) | org], []) AS orgs
WITH compound, community, street, committees, companies, own, orgs,
     CASE WHEN size(orgs) = 0 THEN ['no_party_side'] ELSE [] END
     + CASE WHEN size(committees) = 0 THEN ['no_committee'] ELSE [] END
     + CASE WHEN size(companies) = 0 THEN ['no_company'] ELSE [] END AS lacks
WITH compound, community, street, committees, companies, own, orgs, lacks,
     COLLECT {
       UNWIND CASE WHEN size(lacks) = 0 THEN orgs ELSE [] END AS org
       MATCH (org)<-[post:HOLDS]-(person:Person)
       WHERE CURRENT(post)
       RETURN DISTINCT person
     } AS party,
     COLLECT {
       UNWIND CASE WHEN size(lacks) = 0 AND community IS NOT NULL THEN [community] ELSE [] END AS area
       MATCH (area)<-[post:HOLDS]-(person:Person)
       WHERE CURRENT(post)
       RETURN DISTINCT person
     } AS community_staff,
     COLLECT {
       UNWIND CASE WHEN size(lacks) = 0 THEN committees ELSE [] END AS committee
       MATCH (committee)<-[post:HOLDS]-(person:Person)
       WHERE CURRENT(post)
       RETURN DISTINCT person
     } AS committee_members,
     COLLECT {
       UNWIND CASE WHEN size(lacks) = 0 THEN companies ELSE [] END AS company
       MATCH (company)<-[post:HOLDS]-(person:Person)
       WHERE CURRENT(post)
       RETURN DISTINCT person
     } AS company_staff
