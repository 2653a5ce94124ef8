// name: person_facts
// description: Which facts of a person each document attests, with the document's date: the (kind, item, document) rows of person_profile without labels and quotes, for counts and for the cut-off date of the most recent ones (cheap: no mention joins).
// param: person str IRI of the person
// column: kind str
// column: item str
// column: document str
// column: published date
MATCH (p:Person {iri: $person})
CALL {
  WITH p
  MATCH (p)-[h:HELD]->(:Organization)
  UNWIND h.mentions AS mention
  MATCH (:Mention {iri: mention})-[:IN_DOCUMENT]->(d:Document)
  RETURN DISTINCT 'post' AS kind, h.iri AS item, d
  UNION
  WITH p
  MATCH (p)-[x:PARTICIPATED]->(:Meeting)
  UNWIND x.mentions AS mention
  MATCH (:Mention {iri: mention})-[:IN_DOCUMENT]->(d:Document)
  RETURN DISTINCT 'meeting' AS kind, x.iri AS item, d
  UNION
  WITH p
  MATCH (p)-[:ISSUED]->(dir:Directive)-[:ATTESTED_BY]->(:Mention)-[:IN_DOCUMENT]->(d:Document)
  RETURN DISTINCT 'directive' AS kind, dir.iri AS item, d
}
RETURN kind, item, d.iri AS document, d.published AS published
ORDER BY kind, coalesce(toString(d.published), '') DESC, document DESC, item DESC
