// fetch: C12 双报到 (queries.questions.C12.question.fetch_c12)
// returns: one row per Community: id, name, community_id (its own id), street_id, district_id
//   (null), resident_units (ResidentUnits REGISTERED_WITH it), party_members (Persons with
//   party_member true REGISTERED_WITH it)
// param: as_of (unused): registrations carry no dates
MATCH (community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN community.id AS id, community.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       COUNT { (:ResidentUnit)-[:REGISTERED_WITH]->(community) } AS resident_units,
       COUNT { (member:Person)-[:REGISTERED_WITH]->(community) WHERE member.party_member = true } AS party_members
