// name: organization_roster
// description: Who held which post in a body, with the attested dates, the documents and the quotes.
// param: organization str IRI of the body (guanxi org NAME lists candidates)
// column: tenure str
// column: person str
// column: person_name str
// column: post str
// column: first_seen date
// column: last_seen date
// column: documents list
// column: quotes list
MATCH (p:Person)-[h:HELD]->(o:Organization {iri: $organization})
RETURN h.iri AS tenure, p.iri AS person, p.name AS person_name, coalesce(h.post_label, h.title) AS post,
       h.first_seen AS first_seen, h.last_seen AS last_seen, h.sources AS documents,
       reduce(acc = [], q IN coalesce(h.quotes, []) | CASE WHEN q IN acc THEN acc ELSE acc + q END) AS quotes
ORDER BY post, coalesce(toString(first_seen), ''), person_name, person, tenure
