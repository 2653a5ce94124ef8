// name: meeting_detail
// description: Who took part in a meeting and how (roles), with the posts each held in the same documents, the documents and the quotes.
// param: meeting str IRI of the meeting (guanxi meeting NAME lists candidates)
// column: participation str
// column: person str
// column: person_name str
// column: roles list
// column: posts list
// column: documents list
// column: quotes list
MATCH (p:Person)-[x:PARTICIPATED]->(:Meeting {iri: $meeting})
OPTIONAL MATCH (p)-[h:HELD]->(:Organization)
WHERE any(source IN h.sources WHERE source IN x.sources)
WITH p, x, collect(DISTINCT coalesce(h.post_label, h.title)) AS posts
RETURN x.iri AS participation, p.iri AS person, p.name AS person_name, x.roles AS roles, posts,
       x.sources AS documents,
       reduce(acc = [], q IN coalesce(x.quotes, []) | CASE WHEN q IN acc THEN acc ELSE acc + q END) AS quotes
ORDER BY person_name, person, participation
