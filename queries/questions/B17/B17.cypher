// fetch: B17 黑榜物业仍在服务 (queries.questions.B17.question.fetch_b17)
// returns: for each PropertyCompany with a MANAGES contract current on as_of whose latest RATED
//   on or before as_of (by date, over every rating area; the ratings of that date read together)
//   includes black_list, stars_1 or stars_2, one row per compound it currently manages (a compound
//   once): label, id, name, compound_id, community_id, street_id, district_id (null; the
//   compound's place), reason 'black_listed' (a black_list among them) or 'poorly_rated',
//   detail (the compound's id)
// param: as_of (date, e.g. 2026-06-30): contracts current then; ratings dated on or before it
MATCH (company:PropertyCompany)-[contract:MANAGES]->(compound:Compound)
WHERE CURRENT(contract)
WITH DISTINCT company, compound
CALL (company) {
  MATCH (company)-[rating:RATED]->()
  WHERE rating.date <= date($as_of)
  WITH rating.date AS day, collect(rating.result) AS results
  ORDER BY day DESC LIMIT 1
  RETURN results
}
WITH company, compound, results
WHERE any(result IN results WHERE result IN ['black_list', 'stars_1', 'stars_2'])
// fragment: compound_place
RETURN 'PropertyCompany' AS label, company.id AS id, company.name AS name, compound.id AS compound_id,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       CASE WHEN 'black_list' IN results THEN 'black_listed' ELSE 'poorly_rated' END AS reason,
       compound.id AS detail
