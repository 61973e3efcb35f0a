// fetch: C13 小区党群服务站覆盖率 (queries.questions.C13.question.fetch_c13)
// returns: one row per Compound: id, name, community_id, street_id, district_id (null), covered
//   (an open Venue — open not false — is LOCATED_IN the compound or one of its buildings)
// param: as_of (unused): LOCATED_IN carries no dates, and a compound's place does not change
MATCH (compound:Compound)
// fragment: compound_place
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       EXISTS { MATCH (venue:Venue)-[:LOCATED_IN]->(compound) WHERE coalesce(venue.open, true) }
       OR EXISTS {
         MATCH (venue:Venue)-[:LOCATED_IN]->(:Building)-[:PART_OF]->(compound) WHERE coalesce(venue.open, true)
       } AS covered
