// title_zh: 没有在岗网格员的网格
// title_en: Grids without a current grid worker
// description: Grids of the community where no Person holds a current post as grid worker (网格员) or grid leader (网格长) — the gaps behind coverage C11.
// param: community_id (str, e.g. SQ001): ledger code of the community (社区编码)
// param: as_of (date, e.g. 2026-11-23): day on which a post counts as current
MATCH (grid:Grid)-[:PART_OF]->(:Community {id: $community_id})
WHERE NOT EXISTS {
  MATCH (:Person)-[post:HOLDS]->(grid)
  WHERE post.role IN ['grid_worker', 'grid_leader']
    AND CURRENT(post)
}
RETURN grid.id AS grid_id, grid.name AS grid, grid.grid_type AS grid_type,
       COUNT { (grid)-[:COVERS]->() } AS covered
ORDER BY grid_id
