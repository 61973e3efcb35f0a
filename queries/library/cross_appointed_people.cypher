// title_zh: 交叉任职人员
// title_en: Cross-appointed people
// description: People with current posts in two or more kinds of organisation (党组织, 业委会, 物业企业, 社区居委会, 驻区单位), with the kinds and posts — the people behind cross-appointment X1.
// param: as_of (date, e.g. 2026-11-23): day on which a post counts as current
MATCH (person:Person)-[post:HOLDS]->(organisation)
WHERE (organisation:PartyOrg OR organisation:OwnerCommittee OR organisation:PropertyCompany
       OR organisation:Community OR organisation:ResidentUnit)
  AND CURRENT(post)
WITH person, collect(DISTINCT labels(organisation)[0]) AS kinds,
     collect(post.role + '@' + organisation.name) AS posts
WHERE size(kinds) >= 2
RETURN person.id AS person_id, person.name AS person, person.party_member AS party_member,
       kinds, posts
ORDER BY size(kinds) DESC, person_id
