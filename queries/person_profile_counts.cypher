// name: person_profile_counts
// description: How many posts, meetings and directives a person has: per kind, the facts, the rows of person_profile (fact × document) and the documents.
// param: person str IRI of the person
// column: kind str
// column: facts int
// column: rows int
// column: documents int
MATCH (p:Person {iri: $person})
CALL {
  WITH p
  MATCH (p)-[h:HELD]->(:Organization)
  UNWIND h.mentions AS mention
  MATCH (:Mention {iri: mention})-[:IN_DOCUMENT]->(d:Document)
  RETURN 'post' AS kind, h.iri AS item, d.iri AS document
  UNION
  WITH p
  MATCH (p)-[x:PARTICIPATED]->(:Meeting)
  UNWIND x.mentions AS mention
  MATCH (:Mention {iri: mention})-[:IN_DOCUMENT]->(d:Document)
  RETURN 'meeting' AS kind, x.iri AS item, d.iri AS document
  UNION
  WITH p
  MATCH (p)-[:ISSUED]->(dir:Directive)-[:ATTESTED_BY]->(:Mention)-[:IN_DOCUMENT]->(d:Document)
  RETURN 'directive' AS kind, dir.iri AS item, d.iri AS document
}
RETURN kind, count(DISTINCT item) AS facts, count(*) AS rows, count(DISTINCT document) AS documents
ORDER BY kind
