// fetch: C15 党员入组率 (queries.questions.C15.question.fetch_c15)
// returns: one row per Person with party_member true: id, name, community_id, street_id,
//   district_id (placed where the first PartyOrg it is a MEMBER_OF is, else its first Building,
//   else its first registered Community), covered (a MEMBER_OF a PartyOrg)
// param: as_of (date, e.g. 2026-06-30): places a member of a company's party organisation (via current contracts)
MATCH (person:Person)
WHERE person.party_member = true
// fragment: party_member_place
// fragment: place
RETURN person.id AS id, person.name AS name, community_id, street_id, district_id, in_group AS covered
