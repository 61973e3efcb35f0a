// fetch: B10 双报到空白 (queries.questions.B10.question.fetch_b10)
// returns: one row per Community no ResidentUnit is REGISTERED_WITH: label, id, name,
//   community_id (its own id), street_id, district_id (null), reason 'no_resident_unit', detail (null)
// param: as_of (unused): registrations carry no dates
MATCH (community:Community)
WHERE NOT EXISTS { (:ResidentUnit)-[:REGISTERED_WITH]->(community) }
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN 'Community' AS label, community.id AS id, community.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_resident_unit' AS reason, null AS detail
