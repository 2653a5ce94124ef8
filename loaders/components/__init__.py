"""The built-in extraction components; importing this package registers them (see ``loaders/registry.py``)."""
from . import (  # noqa: F401
    basics,
    bylines,
    directives,
    events,
    mentions,
    ner,
    organizations,
    people,
    speaker_labels,
    titles,
)
