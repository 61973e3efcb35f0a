// candidate_rows: the rows of a candidate question (queries.candidates) from the gap `thing`, its
// `community_id`, `street_id`, `district_id`, `reason`, and `candidates`, a list of
// {person, proposal, org, until}: one gap row (every candidate field null, the lists empty),
// then one row per candidate with the person's evidence: the buildings they live in, their
// posts current on as_of, the party organisations they are members of.
UNWIND [null] + candidates AS candidate
WITH thing, community_id, street_id, district_id, reason, candidate, candidate.person AS person
CALL (person) {
  RETURN COLLECT {
           MATCH (person)-[:LIVES_IN]->(home:Building)
           OPTIONAL MATCH (home)-[:PART_OF]->(compound:Compound)
           RETURN {building_id: home.id, building_name: home.name, compound_name: compound.name} AS home
         } AS homes,
         COLLECT {
           MATCH (person)-[post:HOLDS]->(org)
           WHERE CURRENT(post)
           RETURN {org_label: labels(org)[0], org_id: org.id, org_name: org.name, role: post.role} AS post
         } AS posts,
         COLLECT {
           MATCH (person)-[:MEMBER_OF]->(org:PartyOrg)
           RETURN {id: org.id, name: org.name} AS org
         } AS member_of
}
RETURN labels(thing)[0] AS label, thing.id AS id, thing.name AS name, community_id, street_id, district_id,
       reason, person.id AS person_id, person.name AS person_name, person.phone AS phone,
       coalesce(person.party_member, false) AS party_member, candidate.proposal AS proposal,
       labels(candidate.org)[0] AS org_label, candidate.org.id AS org_id, candidate.org.name AS org_name,
       toString(candidate.until) AS until, homes, posts, member_of
