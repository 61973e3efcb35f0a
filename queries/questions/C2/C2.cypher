// fetch: C2 专业化物业覆盖率 (queries.questions.C2.question.fetch_c2)
// returns: one row per Compound: id, name, community_id, street_id, district_id (null), covered
//   (a PropertyCompany MANAGES it under a contract current on as_of)
// param: as_of (date, e.g. 2026-06-30): a contract is current when start <= as_of <= end (empty bounds open)
MATCH (compound:Compound)
// fragment: compound_place
RETURN compound.id AS id, compound.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       // A list from the compound's own relationships, not EXISTS { }: the planner may start an
       // EXISTS from an index over every committee (or company) and try each against each compound.
       any(contract IN [(compound)<-[contract:MANAGES]-(:PropertyCompany) | contract] WHERE CURRENT(contract))
       AS covered
