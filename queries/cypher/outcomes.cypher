// fetch: O1–O3 成效 (queries.outcomes.fetch_outcomes): the groups come from X2, C1 and B17's own statements
// returns: one row per Compound: id, name, community_id, street_id, district_id (null), households
//   (its 户数, null when unknown), cases (the Cases received from the window's first day to as_of,
//   both included, ABOUT it or one of its Buildings, a case about both once), closed (those closed
//   on or before as_of), days (the days from received to closed of those closed, ascending)
// param: as_of (date, e.g. 2026-06-30): the window's last day; cases closed by then
// param: since (date or null, e.g. 2025-07-01): the window's first day; null: one year before as_of
MATCH (compound:Compound)
// fragment: compound_place
WITH compound, community, street,
     CASE WHEN $since IS NULL THEN date($as_of) - duration({years: 1}) ELSE date($since) END AS first
WITH compound, community, street,
     COLLECT {
       MATCH (ticket:Case)-[:ABOUT]->(compound)
       WHERE first <= ticket.received <= date($as_of)
       RETURN ticket
       UNION
       MATCH (ticket:Case)-[:ABOUT]->(:Building)-[:PART_OF]->(compound)
       WHERE first <= ticket.received <= date($as_of)
       RETURN ticket
     } AS tickets
WITH compound, community, street, tickets,
     [ticket IN tickets WHERE ticket.closed <= date($as_of)] AS done
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       compound.households AS households, size(tickets) AS cases, size(done) AS closed,
       COLLECT {
         UNWIND done AS ticket
         WITH duration.inDays(ticket.received, ticket.closed).days AS days
         RETURN days ORDER BY days
       } AS days
