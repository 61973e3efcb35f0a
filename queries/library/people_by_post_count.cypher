// title_zh: 按任职数量排序的人员
// title_en: People by number of current posts
// description: People holding at least min_posts posts that are current on as_of, most posts first, with every post as "role@organisation". Shows who carries the cross-appointment load.
// param: as_of (date, e.g. 2026-11-23): day on which a post counts as current (start <= as_of <= end, empty ends open)
// param: min_posts (int, e.g. 2): fewest current posts a person must hold to be listed
MATCH (person:Person)-[post:HOLDS]->(organisation)
WHERE CURRENT(post)
WITH person, collect(post.role + '@' + organisation.name) AS posts, count(post) AS post_count
WHERE post_count >= $min_posts
RETURN person.id AS person_id, person.name AS person, person.party_member AS party_member,
       post_count, posts
ORDER BY post_count DESC, person_id
