// name: evidence
// description: The spans that attest an entity and the facts around it (its posts, participations, directives, meetings), per document: what the workbench links each fact to.
// param: entity str   IRI of a person, body, meeting, directive, industry or addressee
// column: entity str
// column: item str
// column: document str
// column: mention str
// column: start int
// column: end int
// column: exact str
// column: role str
MATCH (e:Entity {iri: $entity})
CALL {
  WITH e
  MATCH (e)-[:ATTESTED_BY]->(m:Mention)
  RETURN e.iri AS item, m
  UNION
  WITH e
  MATCH (e)-[r:HELD|PARTICIPATED]-()
  UNWIND r.mentions AS mi
  MATCH (m:Mention {iri: mi})
  RETURN r.iri AS item, m
  UNION
  WITH e
  MATCH (x:Directive)-[:AT_MEETING|ON_BEHALF_OF|ADDRESSED_TO|CONCERNS]->(e)
  MATCH (x)-[:ATTESTED_BY]->(m:Mention)
  RETURN x.iri AS item, m
  UNION
  WITH e
  MATCH (e)-[:ISSUED]->(x:Directive)-[:ATTESTED_BY]->(m:Mention)
  RETURN x.iri AS item, m
  UNION
  WITH e
  MATCH (e)-[:ORGANIZED]->(x:Meeting)-[:ATTESTED_BY]->(m:Mention)
  RETURN x.iri AS item, m
}
MATCH (m)-[:IN_DOCUMENT]->(d:Document)
RETURN DISTINCT e.iri AS entity, item, d.iri AS document, m.iri AS mention, m.start AS start, m.end AS end,
       m.exact AS exact, m.role AS role
ORDER BY document, start, end, item, mention
