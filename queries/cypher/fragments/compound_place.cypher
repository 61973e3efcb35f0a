// compound_place: the community and street of `compound` (null where it is in none)
OPTIONAL MATCH (compound)-[:PART_OF]->(community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
