// fetch: C15 党员入组率 (queries.questions.C15.question.fetch_c15)
// returns: one row per Person with party_member true, packed per thing that places it
//   (queries.neo4j.cypher.PACKED_ROWS): id, name, covered (a MEMBER_OF a PartyOrg); and the
//   record's community_id, street_id, district_id (placed where the first PartyOrg it is a
//   MEMBER_OF is, else its first Building, else its first registered Community)
// param: as_of (date, e.g. 2026-06-30): places a member of a company's party organisation (via current contracts)
MATCH (person:Person)
WHERE person.party_member = true
// fragment: party_member_place
// each thing placed once, not once per member (a city's 80,000 members sit in 45,000 places)
WITH thing, collect({id: person.id, name: person.name, covered: in_group}) AS rows
// fragment: place
RETURN community_id, street_id, district_id, rows
