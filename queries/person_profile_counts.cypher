// name: person_profile_counts
// description: How many posts, meetings and directives a person has: per kind, the facts, the rows of person_profile (fact × document) and the documents.
// param: person str IRI of the person
// column: kind str
// column: facts int
// column: rows int
// column: documents int
// Counted from the documents each fact is stated in (the `sources` list the projection writes on HELD,
// PARTICIPATED and the Directive node), as the .rq counts the graphs that state it: those are the documents of
// its mentions. Reading the lists instead of walking to every Mention and its Document keeps the cost at one
// list per fact (a hub has tens of thousands of mentions).
MATCH (p:Person {iri: $person})
CALL {
  WITH p
  MATCH (p)-[h:HELD]->(:Organization)
  UNWIND h.sources AS document
  RETURN 'post' AS kind, h.iri AS item, document
  UNION
  WITH p
  MATCH (p)-[x:PARTICIPATED]->(:Meeting)
  UNWIND x.sources AS document
  RETURN 'meeting' AS kind, x.iri AS item, document
  UNION
  WITH p
  MATCH (p)-[:ISSUED]->(dir:Directive)
  UNWIND dir.sources AS document
  RETURN 'directive' AS kind, dir.iri AS item, document
}
RETURN kind, count(DISTINCT item) AS facts, count(*) AS rows, count(DISTINCT document) AS documents
ORDER BY kind
