// name: document_facts
// description: Every fact extracted from one document at its span: who or what each mention attests (people, posts, participations, meetings, directives, industries, addressees) and the entity it belongs to.
// param: document str   IRI of the document
// column: document str
// column: mention str
// column: start int
// column: end int
// column: exact str
// column: role str
// column: item str
// column: item_kind str
// column: label str
// column: entity str
// column: entity_name str
// column: other str
// column: other_name str
MATCH (doc:Document {iri: $document})
CALL {
  WITH doc
  MATCH (x:Person)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(doc)
  RETURN m, x.iri AS item, 'Person' AS item_kind, x.name AS label, x.iri AS entity, x.name AS entity_name,
         null AS other, null AS other_name
  UNION
  WITH doc
  MATCH (p:Person)-[h:HELD]->(o:Organization) WHERE doc.iri IN h.sources
  UNWIND h.mentions AS mi
  MATCH (m:Mention {iri: mi})-[:IN_DOCUMENT]->(doc)
  RETURN m, h.iri AS item, 'Tenure' AS item_kind, coalesce(h.post_label, h.title) AS label, p.iri AS entity,
         p.name AS entity_name, o.iri AS other, o.name AS other_name
  UNION
  WITH doc
  MATCH (p:Person)-[pa:PARTICIPATED]->(mt:Meeting) WHERE doc.iri IN pa.sources
  UNWIND pa.mentions AS mi
  MATCH (m:Mention {iri: mi})-[:IN_DOCUMENT]->(doc)
  RETURN m, pa.iri AS item, 'Participation' AS item_kind, mt.name AS label, p.iri AS entity, p.name AS entity_name,
         mt.iri AS other, mt.name AS other_name
  UNION
  WITH doc
  MATCH (x:Meeting)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(doc)
  RETURN m, x.iri AS item, 'Meeting' AS item_kind, x.name AS label, x.iri AS entity, x.name AS entity_name,
         null AS other, null AS other_name
  UNION
  WITH doc
  MATCH (x:Directive)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(doc)
  OPTIONAL MATCH (s:Person)-[:ISSUED]->(x)
  RETURN m, x.iri AS item, 'Directive' AS item_kind, x.text AS label, x.iri AS entity, x.text AS entity_name,
         s.iri AS other, s.name AS other_name
  UNION
  WITH doc
  MATCH (x:Industry)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(doc)
  RETURN m, x.iri AS item, 'Industry' AS item_kind, x.name AS label, x.iri AS entity, x.name AS entity_name,
         null AS other, null AS other_name
  UNION
  WITH doc
  MATCH (x:Addressee)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(doc)
  RETURN m, x.iri AS item, 'Addressee' AS item_kind, x.name AS label, x.iri AS entity, x.name AS entity_name,
         null AS other, null AS other_name
}
RETURN doc.iri AS document, m.iri AS mention, m.start AS start, m.end AS end, m.exact AS exact, m.role AS role,
       item, item_kind, label, entity, entity_name, other, other_name
ORDER BY start, end, item_kind, item, mention
