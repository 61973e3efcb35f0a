// fetch: B16 诉求高发小区 (queries.questions.B16.question.fetch_b16)
// returns: rows label 'Compound', id, name, community_id, street_id, district_id (null), reason
//   'frequent_cases', detail (the number of cases, as text): one per Compound with min_cases or
//   more Cases received in the 90 days up to as_of (as_of - 89 days … as_of) ABOUT the compound
//   or one of its Buildings; a case about both counts once; monthly (those cases in each 30-day
//   month of the 90 days, the last ending on as_of, oldest first)
// param: as_of (date, e.g. 2026-06-30): the last day of the 90 days
// param: min_cases (int, e.g. 5): a compound is listed with at least this many recent cases
MATCH (ticket:Case)-[:ABOUT]->(target)
WHERE (target:Compound OR target:Building)
  AND ticket.received <= date($as_of) AND ticket.received > date($as_of) - duration({days: 90})
WITH DISTINCT ticket,
     CASE WHEN target:Compound THEN target ELSE head([(target)-[:PART_OF]->(parent:Compound) | parent]) END AS compound
WHERE compound IS NOT NULL
WITH compound, collect(duration.inDays(ticket.received, date($as_of)).days / 30) AS ages
WHERE size(ages) >= $min_cases
// fragment: compound_place
RETURN 'Compound' AS label, compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       'frequent_cases' AS reason, toString(size(ages)) AS detail,
       [age IN range(2, 0, -1) | size([other IN ages WHERE other = age])] AS monthly
