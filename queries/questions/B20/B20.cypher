// fetch: B20 单元长空缺 (queries.questions.B20.question.fetch_b20)
// returns: rows (packed per place, queries.neo4j.cypher.PACKED_ROWS) label 'Building', id, name,
//   community_id, street_id, district_id (null; the place is its compound's), reason
//   'no_unit_leader', detail (its units as text, null when
//   unknown): one per Building with units — units above 1, or a post with role unit_leader (of
//   any date) held in a Building of its compound or in the compound — and no post current on
//   as_of with role unit_leader in it
// param: as_of (date, e.g. 2026-06-30): a post is current when start <= as_of <= end (empty bounds open)
MATCH (building:Building)
OPTIONAL MATCH (building)-[:PART_OF]->(compound:Compound)
// each compound looked at and placed once, not once per building
WITH compound, collect(building) AS buildings
WITH compound, buildings,
     compound IS NOT NULL AND (
       EXISTS { MATCH (:Person)-[post:HOLDS]->(:Building)-[:PART_OF]->(compound) WHERE post.role = 'unit_leader' }
       OR EXISTS { MATCH (:Person)-[post:HOLDS]->(compound) WHERE post.role = 'unit_leader' }) AS compound_has_units
// fragment: compound_place
UNWIND buildings AS building
WITH building, community, street, compound_has_units
WHERE (coalesce(building.units, 0) > 1 OR compound_has_units)
  AND NOT EXISTS {
    MATCH (:Person)-[post:HOLDS]->(building)
    WHERE post.role = 'unit_leader'
      AND CURRENT(post)
  }
RETURN community.id AS community_id, street.id AS street_id, null AS district_id,
       collect({label: 'Building', id: building.id, name: building.name,
                reason: 'no_unit_leader', detail: toString(building.units)}) AS rows
