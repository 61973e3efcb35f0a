// fetch: C18 诉求结案率 (queries.questions.C18.question.fetch_c18)
// returns: one row per Case received on or before as_of (and on or after since, when given),
//   packed per place (queries.neo4j.cypher.PACKED_ROWS): id, name, community_id, street_id,
//   district_id (where what it is ABOUT is: the first target by label, then id), covered (its
//   closed date is on or before as_of), days (the days from received to closed when covered,
//   else null)
// param: as_of (date, e.g. 2026-06-30): cases received by then, and closed by then
// param: since (date or null, e.g. 2026-01-01): only cases received on or after it
MATCH (ticket:Case)
WHERE ticket.received <= date($as_of) AND ($since IS NULL OR ticket.received >= date($since))
CALL (ticket) {
  OPTIONAL MATCH (ticket)-[:ABOUT]->(target)
  WITH target ORDER BY labels(target)[0], target.id LIMIT 1
  RETURN target AS thing
}
// each target placed once, not once per case about it
WITH thing, collect(ticket) AS tickets
// fragment: place
UNWIND tickets AS ticket
WITH ticket, community_id, street_id, district_id, coalesce(ticket.closed <= date($as_of), false) AS covered
RETURN community_id, street_id, district_id,
       collect({id: ticket.id, name: ticket.name, covered: covered,
                days: CASE WHEN covered THEN duration.inDays(ticket.received, ticket.closed).days END}) AS rows
