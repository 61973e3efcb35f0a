// title_zh: 届期已满的业委会
// title_en: Owner committees whose term has ended
// description: Owner committees (业委会, 物管会, 自管会) whose term_end is before as_of, with the compound they represent and how many days ago the term ended; these need re-election (换届).
// param: as_of (date, e.g. 2026-11-23): the day to compare term ends with
MATCH (committee:OwnerCommittee)
WHERE committee.term_end < date($as_of)
OPTIONAL MATCH (committee)-[:REPRESENTS]->(compound:Compound)
RETURN committee.id AS committee_id, committee.name AS committee, committee.kind AS kind,
       committee.term_start AS term_start, committee.term_end AS term_end,
       duration.inDays(committee.term_end, date($as_of)).days AS days_expired,
       compound.id AS compound_id, compound.name AS compound
ORDER BY days_expired DESC, committee_id
