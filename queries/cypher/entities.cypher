// fetch: entities (queries.changes.fetch_entities): the things whose structure a diff compares
// returns: one row per Street, Community, Grid, Compound, Building, PartyOrg, PropertyCompany,
//   OwnerCommittee and ResidentUnit: label, id, name, parents (the sorted ids of what it is
//   PART_OF, UNDER, REPRESENTS or REGISTERED_WITH), covers (the sorted ids of what a grid
//   COVERS), community_id, street_id, district_id
// param: as_of (date, e.g. 2026-06-30): a company is placed by its current contracts
MATCH (thing)
WHERE thing:Street OR thing:Community OR thing:Grid OR thing:Compound OR thing:Building
   OR thing:PartyOrg OR thing:PropertyCompany OR thing:OwnerCommittee OR thing:ResidentUnit
OPTIONAL MATCH (thing)-[:PART_OF|UNDER|REPRESENTS|REGISTERED_WITH]->(up)
WITH thing, up ORDER BY up.id
WITH thing, collect(up.id) AS parents
OPTIONAL MATCH (thing:Grid)-[:COVERS]->(covered)
WITH thing, parents, covered ORDER BY covered.id
WITH thing, parents, collect(covered.id) AS covers
// fragment: place
RETURN labels(thing)[0] AS label, thing.id AS id, thing.name AS name, parents, covers,
       community_id, street_id, district_id
