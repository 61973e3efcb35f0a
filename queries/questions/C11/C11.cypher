// fetch: C11 网格员配备率 (queries.questions.C11.question.fetch_c11)
// returns: one row per Grid: id, name, community_id, street_id, district_id (null), covered
//   (a Person HOLDS a post current on as_of with role grid_worker or grid_leader in it)
// param: as_of (date, e.g. 2026-06-30): a post is current when start <= as_of <= end (empty bounds open)
MATCH (grid:Grid)
OPTIONAL MATCH (grid)-[:PART_OF]->(community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN grid.id AS id, grid.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       EXISTS {
         MATCH (:Person)-[post:HOLDS]->(grid)
         WHERE post.role IN ['grid_worker', 'grid_leader']
           AND CURRENT(post)
       } AS covered
