// post_row: the post row (queries.cross.post_rows) of `person`'s current `post` in `thing`, placed
// where `thing` is (after the place fragment)
RETURN person.id AS person_id, person.name AS person_name, person.phone AS phone,
       labels(thing)[0] AS org_label, thing.id AS org_id, thing.name AS org_name,
       post.role AS role, coalesce(post.part_time, false) AS part_time,
       post.start AS start, post.end AS end,
       community_id, street_id, district_id
