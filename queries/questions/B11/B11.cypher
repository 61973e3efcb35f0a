// fetch: B11 需求资源未对接 (queries.questions.B11.question.fetch_b11)
// returns: one row per ListItem of kind demand that no ListItem of kind project MATCHES (reason
//   'unmatched_demand'), and per ListItem of kind resource that no project MATCHES together with a
//   demand (reason 'unused_resource'): label, id, name, community_id, street_id, district_id,
//   reason, detail (null). The place is the item's own community_id (street and district then
//   null), else the place of its RAISED_BY/OFFERED_BY target.
// param: as_of (date, e.g. 2026-06-30): places an item raised by a property company (via its current contracts)
MATCH (item:ListItem)
WHERE item.kind IN ['demand', 'resource']
// Lists drawn from the item's own MATCHES, not subqueries inside CASE: those the planner runs as
// expressions that meet every relationship again for every item (682 million db hits on 阳泉's
// 矿区 lists, tests/test_neo4j_scaling.py's kind of growth).
WITH item, [(item)<-[:MATCHES]-(project:ListItem) WHERE project.kind = 'project' | project] AS projects
WITH item, CASE
  WHEN item.kind = 'demand' AND size(projects) = 0 THEN 'unmatched_demand'
  WHEN item.kind = 'resource'
       AND none(project IN projects
                WHERE size([(project)-[:MATCHES]->(demand:ListItem) WHERE demand.kind = 'demand' | demand]) > 0)
    THEN 'unused_resource'
  END AS reason
WHERE reason IS NOT NULL
CALL (item) {
  OPTIONAL MATCH (item)-[:RAISED_BY|OFFERED_BY]->(owner)
  WITH owner ORDER BY labels(owner)[0], owner.id LIMIT 1
  RETURN owner AS thing
}
// fragment: place
WITH item, reason, size(item.community_id) > 0 AS recorded, community_id, street_id, district_id
RETURN 'ListItem' AS label, item.id AS id, item.name AS name,
       CASE WHEN recorded THEN item.community_id ELSE community_id END AS community_id,
       CASE WHEN recorded THEN null ELSE street_id END AS street_id,
       CASE WHEN recorded THEN null ELSE district_id END AS district_id,
       reason, null AS detail
