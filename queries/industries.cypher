// name: industries
// description: Every industry of the scheme the documents mention, with how many directives concern it and how many documents mention it (most directives first).
// column: industry str
// column: industry_name str
// column: code str
// column: directives int
// column: documents int
MATCH (i:Industry)
CALL { WITH i OPTIONAL MATCH (dir:Directive)-[:CONCERNS]->(i) RETURN count(DISTINCT dir) AS directives }
CALL { WITH i OPTIONAL MATCH (i)-[:ATTESTED_BY]->(:Mention)-[:IN_DOCUMENT]->(d:Document) RETURN count(DISTINCT d) AS documents }
RETURN i.iri AS industry, i.name AS industry_name, i.code AS code, directives, documents
ORDER BY directives DESC, documents DESC, industry_name, industry
