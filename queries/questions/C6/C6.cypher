// fetch: C6 网格党支部覆盖率 (queries.questions.C6.question.fetch_c6)
// returns: one row per Grid: id, name, community_id, street_id, district_id (null), covered
//   (at least one PartyOrg is BASED_IN the grid)
// param: as_of (unused): BASED_IN carries no dates, and a grid's place does not change
MATCH (grid:Grid)
OPTIONAL MATCH (grid)-[:PART_OF]->(community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
RETURN grid.id AS id, grid.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       EXISTS { (:PartyOrg)-[:BASED_IN]->(grid) } AS covered
