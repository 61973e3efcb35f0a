// fetch: C5 楼栋党小组覆盖率 (queries.questions.C5.question.fetch_c5)
// returns: one row per Building, packed per place (queries.neo4j.cypher.PACKED_ROWS): id, name,
//   community_id, street_id, district_id (null), covered (at least one PartyOrg is BASED_IN the
//   building); the place is its compound's
// param: as_of (unused): BASED_IN carries no dates, and a building's place does not change
MATCH (building:Building)
OPTIONAL MATCH (building)-[:PART_OF]->(compound:Compound)
// each compound placed once, not once per building
WITH compound, collect(building) AS buildings
// fragment: compound_place
UNWIND buildings AS building
RETURN community.id AS community_id, street.id AS street_id, null AS district_id,
       collect({id: building.id, name: building.name,
                covered: EXISTS { (:PartyOrg)-[:BASED_IN]->(building) }}) AS rows
