// group_without_central_household: each 党小组 `thing` with no current 党员中心户 post in it or in a
// place it is BASED_IN (B15, queries.blindspots.fetch_b15)
MATCH (thing:PartyOrg)
WHERE thing.kind = 'group'
  AND NOT EXISTS {
    MATCH (:Person)-[post:HOLDS]->(thing)
    WHERE post.role = 'central_household'
      AND CURRENT(post)
  }
  AND NOT EXISTS {
    MATCH (thing)-[:BASED_IN]->()<-[post:HOLDS]-(:Person)
    WHERE post.role = 'central_household'
      AND CURRENT(post)
  }
