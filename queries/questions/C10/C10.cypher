// fetch: C10 楼长配备率 (queries.questions.C10.question.fetch_c10)
// returns: one row per Building, packed per place (queries.neo4j.cypher.PACKED_ROWS): id, name,
//   community_id, street_id, district_id (null), covered (a Person HOLDS a post current on as_of
//   with role building_leader in it); the place is its compound's
// param: as_of (date, e.g. 2026-06-30): a post is current when start <= as_of <= end (empty bounds open)
MATCH (building:Building)
OPTIONAL MATCH (building)-[:PART_OF]->(compound:Compound)
// each compound placed once, not once per building
WITH compound, collect(building) AS buildings
// fragment: compound_place
UNWIND buildings AS building
WITH building, community, street,
     EXISTS {
       MATCH (:Person)-[post:HOLDS]->(building)
       WHERE post.role = 'building_leader'
         AND CURRENT(post)
     } AS covered
RETURN community.id AS community_id, street.id AS street_id, null AS district_id,
       collect({id: building.id, name: building.name, covered: covered}) AS rows
