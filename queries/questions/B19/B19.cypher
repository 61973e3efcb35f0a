// fetch: B19 多网未合一 (queries.questions.B19.question.fetch_b19)
// A grid covers a building when it COVERS the building or the building's compound (as in B5).
// returns: one row per Building covered by grids of two or more grid_type values: label
//   'Building', id, name, community_id, street_id, district_id (null; the compound's place),
//   reason 'unmerged_grids', detail (the types, sorted, joined by '; ')
// param: as_of (unused): coverage carries no dates, and places do not change
MATCH (building:Building)
OPTIONAL MATCH (building)-[:PART_OF]->(compound:Compound)
// fragment: compound_place
CALL (building, compound) {
  MATCH (grid:Grid)-[:COVERS]->(building) RETURN grid.grid_type AS grid_type
  UNION
  MATCH (grid:Grid)-[:COVERS]->(compound) RETURN grid.grid_type AS grid_type
}
WITH building, community, street, grid_type ORDER BY grid_type
WITH building, community, street, collect(grid_type) AS types
WHERE size(types) > 1
RETURN 'Building' AS label, building.id AS id, building.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'unmerged_grids' AS reason, reduce(text = head(types), more IN tail(types) | text + '; ' + more) AS detail
