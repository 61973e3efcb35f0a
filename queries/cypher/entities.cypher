// fetch: entities (queries.changes.fetch_entities): the things whose structure a diff compares
// returns: one row per Street, Community, Grid, Compound, Building, PartyOrg, PropertyCompany,
//   OwnerCommittee and ResidentUnit: label, id, name, parents (the sorted ids of what it is
//   PART_OF, UNDER, REPRESENTS or REGISTERED_WITH), community_id, street_id, district_id
// param: as_of (date, e.g. 2026-06-30): a company is placed by its current contracts
MATCH (thing)
WHERE thing:Street OR thing:Community OR thing:Grid OR thing:Compound OR thing:Building
   OR thing:PartyOrg OR thing:PropertyCompany OR thing:OwnerCommittee OR thing:ResidentUnit
OPTIONAL MATCH (thing)-[:PART_OF|UNDER|REPRESENTS|REGISTERED_WITH]->(up)
WITH thing, up ORDER BY up.id
WITH thing, collect(up.id) AS parents
// fragment: place
RETURN labels(thing)[0] AS label, thing.id AS id, thing.name AS name, parents,
       community_id, street_id, district_id
