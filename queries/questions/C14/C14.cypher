// fetch: C14 社区阵地面积达标率 (queries.questions.C14.question.fetch_c14)
// returns: one row per Community: id, name, community_id (its own id), street_id, district_id
//   (null), area_m2 (the total area_m2 of the open Venues — open not false — LOCATED_IN the
//   community, its grids, its compounds and their buildings; a venue without an area counts 0),
//   centre_m2 (the largest area_m2 of those of kind centre, 0 when none), covered (area_m2 >= min_area)
// param: as_of (unused): LOCATED_IN and PART_OF carry no dates
// param: min_area (float, e.g. 500): the area in m² a community's venues must reach together
MATCH (community:Community)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Street)
WITH community, street,
     [(venue:Venue)-[:LOCATED_IN]->(community) | venue]
     + [(venue:Venue)-[:LOCATED_IN]->(:Grid|Compound)-[:PART_OF]->(community) | venue]
     + [(venue:Venue)-[:LOCATED_IN]->(:Building)-[:PART_OF]->(:Compound)-[:PART_OF]->(community) | venue] AS venues
WITH community, street, [venue IN venues WHERE coalesce(venue.open, true)] AS venues
WITH community, street, reduce(total = 0.0, venue IN venues | total + coalesce(venue.area_m2, 0.0)) AS area_m2,
     reduce(largest = 0.0, venue IN venues |
            CASE WHEN venue.kind = 'centre' AND coalesce(venue.area_m2, 0.0) > largest
                 THEN venue.area_m2 ELSE largest END) AS centre_m2
RETURN community.id AS id, community.name AS name,
       community.id AS community_id, street.id AS street_id, null AS district_id,
       area_m2, centre_m2, area_m2 >= $min_area AS covered
