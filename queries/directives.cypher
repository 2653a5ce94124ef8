// name: directives
// description: Directives (工作部署) with speaker, body spoken for, meeting, addressees, industries, document and quotes; every filter optional.
// param: speaker str optional    a speaker's name, alias or IRI, or the name or IRI of the body spoken for (exact)
// param: addressee str optional  part of an addressee's name or alias, or its IRI
// param: industry str optional   part of an industry's label or code, or its IRI
// param: text str optional       part of the directive's text
// param: since date optional     on or after this date (YYYY-MM-DD; the meeting's date, else the document's)
// param: until date optional     on or before this date
// param: meeting str optional    the meeting's IRI
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
MATCH (dir:Directive)
WHERE ($text IS NULL OR dir.text CONTAINS $text)
  AND ($speaker IS NULL
       OR EXISTS { MATCH (s:Person)-[:ISSUED]->(dir) WHERE s.name = $speaker OR s.iri = $speaker OR $speaker IN coalesce(s.aliases, []) }
       OR EXISTS { MATCH (dir)-[:ON_BEHALF_OF]->(b:Organization) WHERE b.name = $speaker OR b.iri = $speaker OR $speaker IN coalesce(b.aliases, []) })
  AND ($addressee IS NULL
       OR EXISTS { MATCH (dir)-[:ADDRESSED_TO]->(a:Entity)
                   WHERE a.iri = $addressee OR any(n IN [a.name] + coalesce(a.aliases, []) WHERE n CONTAINS $addressee) })
  AND ($industry IS NULL
       OR EXISTS { MATCH (dir)-[:CONCERNS]->(i:Industry) WHERE i.iri = $industry OR i.name CONTAINS $industry OR i.code CONTAINS $industry })
OPTIONAL MATCH (mt:Meeting)<-[:AT_MEETING]-(dir)
WITH dir, mt
WHERE $meeting IS NULL OR mt.iri = $meeting
MATCH (dir)-[:ATTESTED_BY]->(m:Mention)-[:IN_DOCUMENT]->(d:Document)
WITH dir, mt, d, coalesce(mt.date, d.published) AS date, min(m.start) AS position, collect(DISTINCT m.exact) AS quotes
WHERE ($since IS NULL OR toString(date) >= $since) AND ($until IS NULL OR toString(date) <= $until)
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
