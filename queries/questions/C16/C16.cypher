// fetch: C16 网格类型覆盖 (queries.questions.C16.question.fetch_c16)
// returns: one row per Compound: label 'Compound', id, name, community_id, street_id,
//   district_id (null), grid_types (the grid_type of every Grid that COVERS the compound or one
//   of its Buildings; repeats allowed); then one row per Grid: label 'Grid', id, name, its place,
//   grid_types (its own type alone), which makes its type present where it is
// param: as_of (unused): COVERS and PART_OF carry no dates
// param: grid_type (unused): the type asked is picked out by the assemble step (types are open text)
MATCH (compound:Compound)
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       [(grid:Grid)-[:COVERS]->(compound) | grid.grid_type]
         + [(grid:Grid)-[:COVERS]->(:Building)-[:PART_OF]->(compound) | grid.grid_type] AS grid_types
UNION ALL
MATCH (grid:Grid)
OPTIONAL MATCH (grid)-[:PART_OF]->(community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN 'Grid' AS label, grid.id AS id, grid.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id, [grid.grid_type] AS grid_types
