// name: documents
// description: The source documents (or one, by IRI): title, publication date, original URL, the file it was read from, publisher.
// param: document str optional   IRI of one document (all documents when not given)
// column: document str
// column: title str
// column: published date
// column: url str
// column: source_path str
// column: publisher_name str
MATCH (d:Document)
WHERE $document IS NULL OR d.iri = $document
OPTIONAL MATCH (pub:Organization)-[:PUBLISHED]->(d)
WITH d, min(pub.name) AS publisher_name
RETURN d.iri AS document, d.title AS title, d.published AS published, d.url AS url, d.source_path AS source_path, publisher_name
ORDER BY coalesce(toString(d.published), '') DESC, document
