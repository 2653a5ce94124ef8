// name: person_ids
// description: The people whose name or alias is exactly NAME (IRIs only: cheap; person_card gives the rest).
// param: name str   the name (or alias) to look up
// column: person str
MATCH (p:Person)
WHERE p.name = $name OR $name IN coalesce(p.aliases, [])
RETURN DISTINCT p.iri AS person
ORDER BY person
