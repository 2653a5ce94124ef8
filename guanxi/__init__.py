"""guanxi: Chinese government texts → a knowledge graph of posts, meetings and directives."""
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("guanxi")
except _metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
