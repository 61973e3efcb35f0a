// fetch: R1 三方联动候选人 (queries.questions.R1.question.fetch_r1)
// For each link X2 finds missing in a compound: the people who could make it (candidate rows,
// see fragments/candidate_rows.cypher), label 'Compound', reason 'no_party_committee_link' or
// 'no_party_company_link'. The party organisation proposed is the compound's own first by id,
// else its community's first; the committee and company proposed are the first current by id.
// returns: label, id, name, community_id, street_id, district_id (null), reason, person_id,
//   person_name, phone, party_member, proposal, org_label, org_id, org_name, until, homes, posts,
//   member_of
// param: as_of (date, e.g. 2026-06-30): posts, contracts and terms are current when start <= as_of <= end (empty bounds open)
// fragment: x2_sides
WITH compound, community, street, party, community_staff, committee_members, company_staff, orgs, committees,
     companies, lacks
WHERE size(lacks) = 0
WITH compound, community, street, party, community_staff, committee_members, company_staff,
     // the party organisation proposed: the first BASED_IN the compound itself, else the first of its side
     COLLECT { MATCH (compound)<-[:BASED_IN]-(org:PartyOrg) RETURN org ORDER BY org.id LIMIT 1 }
     + COLLECT { UNWIND orgs AS org RETURN org ORDER BY org.id LIMIT 1 } AS party_orgs,
     COLLECT { UNWIND committees AS committee RETURN committee ORDER BY committee.id LIMIT 1 } AS committees,
     COLLECT { UNWIND companies AS company RETURN company ORDER BY company.id LIMIT 1 } AS companies,
     COLLECT {
       MATCH (resident:Person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(compound)
       RETURN DISTINCT resident
     } AS residents
UNWIND [{reason: 'no_party_committee_link',
         linked: any(person IN committee_members WHERE person IN party),
         candidates: [person IN committee_members
                      | {person: person, proposal: 'part_time_member', org: party_orgs[0], until: null}]
                     + [person IN party WHERE person IN residents
                        | {person: person, proposal: 'committee_member', org: committees[0],
                           until: committees[0].term_end}]},
        {reason: 'no_party_company_link',
         linked: any(person IN company_staff WHERE person IN party OR person IN community_staff),
         candidates: [person IN company_staff
                      | {person: person, proposal: 'part_time_member', org: party_orgs[0], until: null}]
                     + [person IN party + community_staff
                        | {person: person, proposal: 'instructor', org: companies[0], until: null}]}] AS gap
WITH compound AS thing, community.id AS community_id, street.id AS street_id, null AS district_id,
     gap.reason AS reason, gap.candidates AS candidates, gap.linked AS linked
WHERE NOT linked
// fragment: candidate_rows
