// fetch: C17 需求办结率 (queries.questions.C17.question.fetch_c17)
// returns: one row per ListItem (any kind) with no raised date or one on or before as_of: id,
//   name, community_id, street_id, district_id, kind, covered (its closed date is on or before
//   as_of, or it has none and its status is closed). The place is the item's own community_id
//   (street and district then null), else the place of its RAISED_BY/OFFERED_BY target (as B11).
//   The rate is over the demands; every kind is counted.
// param: as_of (date, e.g. 2026-06-30): which items are raised and closed by then
MATCH (item:ListItem)
WHERE item.raised IS NULL OR item.raised <= date($as_of)
CALL (item) {
  OPTIONAL MATCH (item)-[:RAISED_BY|OFFERED_BY]->(owner)
  WITH owner ORDER BY labels(owner)[0], owner.id LIMIT 1
  RETURN owner AS thing
}
// fragment: place
WITH item, size(item.community_id) > 0 AS recorded, community_id, street_id, district_id
RETURN item.id AS id, item.name AS name,
       CASE WHEN recorded THEN item.community_id ELSE community_id END AS community_id,
       CASE WHEN recorded THEN null ELSE street_id END AS street_id,
       CASE WHEN recorded THEN null ELSE district_id END AS district_id, item.kind AS kind,
       CASE WHEN item.closed IS NULL THEN coalesce(item.status = 'closed', false)
            ELSE item.closed <= date($as_of) END AS covered
