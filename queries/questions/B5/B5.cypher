// fetch: B5 网格盲区与重叠 (queries.questions.B5.question.fetch_b5)
// A grid covers a building when it COVERS the building or the building's compound.
// returns: rows label 'Building', id, name, community_id, street_id, district_id (null; the
//   compound's place), reason, detail:
//   'uncovered' (no grid covers it; detail null), else
//   'overlap': one row per covering grid of every grid_type with two or more covering grids,
//     detail '<grid_type>:<grid id>', then
//   'cross_community': one row per covering grid PART_OF another community than the building's
//     compound (both known), detail '<grid id>@<grid's community id>'.
// param: as_of (unused): coverage carries no dates, and places do not change
MATCH (building:Building)
OPTIONAL MATCH (building)-[:PART_OF]->(compound:Compound)
// fragment: compound_place
WITH building, community, street, COLLECT {
  MATCH (grid:Grid)-[:COVERS]->(building) RETURN grid
  UNION
  MATCH (grid:Grid)-[:COVERS]->(compound) RETURN grid
} AS grids
WITH building, community, street,
     [grid IN grids | {grid: grid, community: head([(grid)-[:PART_OF]->(home:Community) | home])}] AS covering
UNWIND CASE WHEN size(covering) = 0 THEN [{reason: 'uncovered', detail: null}] ELSE
         [cover IN covering
          WHERE size([other IN covering WHERE other.grid.grid_type = cover.grid.grid_type]) > 1
          | {reason: 'overlap', detail: cover.grid.grid_type + ':' + cover.grid.id}]
         + [cover IN covering
            WHERE community IS NOT NULL AND cover.community IS NOT NULL AND cover.community <> community
            | {reason: 'cross_community', detail: cover.grid.id + '@' + cover.community.id}]
       END AS spot
RETURN 'Building' AS label, building.id AS id, building.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       spot.reason AS reason, spot.detail AS detail
