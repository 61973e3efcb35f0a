// fetch: B6 空网格 (queries.questions.B6.question.fetch_b6)
// returns: one row per (Grid, reason), reasons in this order: 'no_party_branch' (no PartyOrg
//   BASED_IN it), 'no_grid_worker' (no post current on as_of with role grid_worker or
//   grid_leader in it), 'covers_nothing' (no COVERS): label, id, name, community_id, street_id,
//   district_id (null), reason, detail (null)
// param: as_of (date, e.g. 2026-06-30): a post is current when start <= as_of <= end (empty bounds open)
MATCH (grid:Grid)
WITH grid, [reason IN [
  CASE WHEN NOT EXISTS { (:PartyOrg)-[:BASED_IN]->(grid) } THEN 'no_party_branch' END,
  CASE WHEN NOT EXISTS {
    MATCH (:Person)-[post:HOLDS]->(grid)
    WHERE post.role IN ['grid_worker', 'grid_leader']
      AND CURRENT(post)
  } THEN 'no_grid_worker' END,
  CASE WHEN NOT EXISTS { (grid)-[:COVERS]->() } THEN 'covers_nothing' END
] WHERE reason IS NOT NULL] AS reasons
UNWIND reasons AS reason
OPTIONAL MATCH (grid)-[:PART_OF]->(community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN 'Grid' AS label, grid.id AS id, grid.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       reason, null AS detail
