// current: the as-of rule (graphmodel.rules.current_between) over `dated`'s start and end, an empty
// bound open; statements write it CURRENT(post) or, over a committee's term, CURRENT_TERM(committee)
(dated.start IS NULL OR dated.start <= date($as_of)) AND (dated.end IS NULL OR dated.end >= date($as_of))
