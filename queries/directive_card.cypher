// name: directive_card
// description: One directive by IRI, with the same columns as the directives query (speaker, body spoken for, meeting, addressees, industries, documents, quotes).
// param: directive str   IRI of the directive
// column: directive str
// column: content str
// column: date date
// column: speaker_iri str
// column: speaker_name str
// column: body_iri str
// column: body_name str
// column: meeting_iri str
// column: meeting_name str
// column: parent_content str
// column: addressees list
// column: industries list
// column: document str
// column: document_title str
// column: position int
// column: quotes list
// column: targets list
MATCH (dir:Directive {iri: $directive})
OPTIONAL MATCH (mt:Meeting)<-[:AT_MEETING]-(dir)
WITH dir, mt
MATCH (dir)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(d:Document)
WITH dir, mt, d, coalesce(mt.date, d.published) AS date, min(m.start) AS position, collect(DISTINCT m.exact) AS quotes
OPTIONAL MATCH (s:Person)-[:ISSUED]->(dir)
OPTIONAL MATCH (dir)-[:ON_BEHALF_OF]->(b:Organization)
OPTIONAL MATCH (dir)-[:PART_OF]->(parent:Directive)
WITH dir, mt, d, date, position, quotes, s, b, parent
OPTIONAL MATCH (dir)-[:ADDRESSED_TO]->(a:Entity)
WITH dir, mt, d, date, position, quotes, s, b, parent, collect(DISTINCT a.name) AS addressees,
     collect(DISTINCT 'ADDRESSED_TO\u001e' + a.iri + '\u001e' + CASE WHEN a:Addressee THEN 'Addressee' ELSE 'Organization' END
                      + '\u001e' + a.name) AS addressee_targets
OPTIONAL MATCH (dir)-[:CONCERNS]->(i:Industry)
WITH dir, mt, d, date, position, quotes, s, b, parent, addressees, addressee_targets, collect(DISTINCT i.name) AS industries,
     collect(DISTINCT 'CONCERNS\u001e' + i.iri + '\u001eIndustry\u001e' + i.name) AS industry_targets
RETURN dir.iri AS directive, dir.text AS content, date, s.iri AS speaker_iri, s.name AS speaker_name,
       b.iri AS body_iri, b.name AS body_name, mt.iri AS meeting_iri, mt.name AS meeting_name,
       parent.text AS parent_content, addressees, industries, d.iri AS document, d.title AS document_title,
       position, quotes, addressee_targets + industry_targets AS targets
ORDER BY coalesce(toString(date), ''), document, position, directive
