// fetch: S1 组织体系统计 (queries.questions.S1.question.fetch_s1)
// returns: one row per (counted, place) with count > 0: counted (a PartyOrg kind code,
//   'branch_in_<base>', 'central_household' or a label: Community, Grid, Compound, Building,
//   Venue), community_id, street_id, district_id (the place of each counted thing), count.
//   Counted: every Community, Grid, Compound, Building and open Venue (open not false); every
//   PartyOrg by kind, and every branch again by the label of its first BASED_IN target (by label,
//   then id): grid (Grid), compound (Compound or Building), owner_committee, property_company,
//   resident_unit, community, other (anything else or nothing); every post current on as_of with
//   role central_household, placed where the organisation or building it is held in is.
// param: as_of (date, e.g. 2026-06-30): which 党员中心户 posts are current, and where a company's organisations are
CALL () {
  MATCH (thing:Community) RETURN thing, 'Community' AS counted
  UNION ALL
  MATCH (thing:Grid) RETURN thing, 'Grid' AS counted
  UNION ALL
  MATCH (thing:Compound) RETURN thing, 'Compound' AS counted
  UNION ALL
  // a Building is where its compound is (fragments/place.cypher): counted at it, so a city's
  // buildings are placed once per compound rather than each
  MATCH (building:Building)
  CALL (building) {
    OPTIONAL MATCH (building)-[:PART_OF]->(compound:Compound)
    RETURN compound ORDER BY compound.id LIMIT 1
  }
  RETURN coalesce(compound, building) AS thing, 'Building' AS counted
  UNION ALL
  MATCH (thing:Venue) WHERE coalesce(thing.open, true) RETURN thing, 'Venue' AS counted
  UNION ALL
  MATCH (thing:PartyOrg) RETURN thing, thing.kind AS counted
  UNION ALL
  MATCH (thing:PartyOrg) WHERE thing.kind = 'branch'
  CALL (thing) {
    OPTIONAL MATCH (thing)-[:BASED_IN]->(base)
    WITH base ORDER BY labels(base)[0], base.id LIMIT 1
    RETURN base
  }
  RETURN thing, 'branch_in_' + CASE
    WHEN base:Grid THEN 'grid'
    WHEN base:Compound OR base:Building THEN 'compound'
    WHEN base:OwnerCommittee THEN 'owner_committee'
    WHEN base:PropertyCompany THEN 'property_company'
    WHEN base:ResidentUnit THEN 'resident_unit'
    WHEN base:Community THEN 'community'
    ELSE 'other' END AS counted
  UNION ALL
  MATCH (:Person)-[post:HOLDS]->(thing)
  WHERE post.role = 'central_household'
    AND CURRENT(post)
  RETURN thing, 'central_household' AS counted
}
// each thing placed once, however often it is counted (a branch twice, a compound also for its buildings)
WITH thing, counted, count(*) AS things
WITH thing, collect({counted: counted, things: things}) AS tallies
// fragment: place
UNWIND tallies AS tally
RETURN tally.counted AS counted, community_id, street_id, district_id, sum(tally.things) AS count
