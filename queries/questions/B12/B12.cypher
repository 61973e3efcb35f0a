// fetch: B12 无阵地小区 (queries.questions.B12.question.fetch_b12)
// returns: one row per Compound with no open Venue (open not false) LOCATED_IN it or one of its
//   buildings: label, id, name, community_id, street_id, district_id (null), reason 'no_venue',
//   detail (null)
// param: as_of (unused): LOCATED_IN carries no dates, and a compound's place does not change
MATCH (compound:Compound)
WHERE NOT EXISTS { MATCH (venue:Venue)-[:LOCATED_IN]->(compound) WHERE coalesce(venue.open, true) }
  AND NOT EXISTS {
    MATCH (venue:Venue)-[:LOCATED_IN]->(:Building)-[:PART_OF]->(compound) WHERE coalesce(venue.open, true)
  }
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'no_venue' AS reason, null AS detail
