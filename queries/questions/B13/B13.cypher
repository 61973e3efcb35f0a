// fetch: B13 未入组党员 (queries.questions.B13.question.fetch_b13)
// returns: rows label 'Person', id, name, community_id, street_id, district_id (placed as C15
//   places them: the first Building it LIVES_IN, else its first registered Community), reason
//   'not_in_group', detail (null): each Person with party_member true and no MEMBER_OF
// param: as_of (date, e.g. 2026-06-30): read by the place fragment only (these members are placed by a building or a community, whose places carry no dates)
MATCH (person:Person)
WHERE person.party_member = true
// fragment: party_member_place
WITH person, thing, in_group
WHERE NOT in_group
// fragment: place
RETURN 'Person' AS label, person.id AS id, person.name AS name, community_id, street_id, district_id,
       'not_in_group' AS reason, null AS detail
