// fetch: B14 报到不在居住社区 (queries.questions.B14.question.fetch_b14)
// returns: rows label 'Person', id, name, community_id, street_id, district_id (where the first
//   Building it LIVES_IN, by id, is), reason 'registered_elsewhere', detail (the registered
//   community's id): one per Community a Person is REGISTERED_WITH when the person LIVES_IN a
//   Building whose compound's community is known and none of those communities is that one
// param: as_of (date, e.g. 2026-06-30): read by the place fragment only (a building's place carries no dates)
MATCH (person:Person)-[:REGISTERED_WITH]->(registered:Community)
WITH person, registered,
     [(person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Compound)-[:PART_OF]->(home:Community) | home] AS homes
WHERE size(homes) > 0 AND NOT registered IN homes
CALL (person) {
  MATCH (person)-[:LIVES_IN]->(building:Building)
  WITH building ORDER BY building.id LIMIT 1
  RETURN building AS thing
}
// fragment: place
RETURN 'Person' AS label, person.id AS id, person.name AS name, community_id, street_id, district_id,
       'registered_elsewhere' AS reason, registered.id AS detail
