"""Extraction components by name, and the pipeline assembled from them in the order a configuration gives.

Like spaCy's factories: a component module registers a factory under a name with :func:`component`; the
pipeline configuration (``loaders/pipeline.toml``, or a ``[pipeline]`` table in a user's config file) lists
the component names in order, with options per component. A factory is called once per pipeline with the
lexicon and the options, and returns a callable that takes a :class:`~guanxi.loaders.doc.Doc` and adds
facts to it. A component that reads many documents faster together (the model) also has ``predict(docs)``,
which only computes, and ``set_annotations(doc, prediction)``, which writes one document's share:
:meth:`Pipeline.pipe` then runs it once over a whole group of documents, as spaCy's ``nlp.pipe`` does. So a
statistical model and a rule can sit side by side and be swapped::

    [pipeline]
    components = ["sentences", "jurisdiction", "places", "ner", "titles", "people", ...]

    [components.ner]
    factory = "ner.lac"      # or "ner.none" to run the rules alone
    batch_size = 32
"""
from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    from .doc import Doc
    from .lexicon import Lexicon


class Component(Protocol):
    def __call__(self, doc: "Doc") -> None: ...


class BatchComponent(Component, Protocol):
    def predict(self, docs: list["Doc"]) -> list[Any]: ...

    def set_annotations(self, doc: "Doc", prediction: Any) -> None: ...


Factory = Callable[..., Component]
_FACTORIES: dict[str, Factory] = {}


class PipelineConfigError(ValueError):
    """A pipeline configuration that cannot be assembled: names the component and the problem."""


def component(name: str) -> Callable[[Factory], Factory]:
    """Register a component factory under ``name``: ``factory(lexicon, **options) -> callable(doc)``."""

    def register(factory: Factory) -> Factory:
        if name in _FACTORIES and _FACTORIES[name] is not factory:
            raise PipelineConfigError(f"component {name!r} is registered twice")
        _FACTORIES[name] = factory
        return factory

    return register


def available() -> list[str]:
    _load_builtin()
    return sorted(_FACTORIES)


def _load_builtin() -> None:
    from . import components  # noqa: F401  (registers the built-in components)


def default_config() -> dict[str, Any]:
    text = resources.files("guanxi.loaders").joinpath("pipeline.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass
class Step:
    name: str           # the name in the configuration
    factory: str        # the registered factory it was built from
    run: Component


class Pipeline:
    """Components in order; calling the pipeline on a document runs each of them on it."""

    def __init__(self, steps: list[Step], lexicon: "Lexicon"):
        self.steps = steps
        self.lexicon = lexicon

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def get(self, name: str) -> Component:
        for step in self.steps:
            if step.name == name:
                return step.run
        raise KeyError(name)

    def __call__(self, doc: "Doc", timed: bool = False) -> "Doc":
        for step in self.steps:
            if timed:
                started = time.perf_counter()
                step.run(doc)
                doc.timings[step.name] = doc.timings.get(step.name, 0.0) + time.perf_counter() - started
            else:
                step.run(doc)
        return doc

    def pipe(self, docs: list["Doc"], timings: dict[str, float] | None = None) -> list["Doc | Exception"]:
        """Run the pipeline over ``docs`` together: each component in turn over all of them, a batch
        component's ``predict`` once for the group. The result has, in each document's place, the document,
        or the exception a component raised on it: one bad document never stops the others (a ``predict``
        that fails for the group is run again one document at a time to find which). The facts are the same
        as calling the pipeline on each document. ``timings``: seconds per component, added up."""
        results: list[Doc | Exception] = list(docs)
        for step in self.steps:
            started = time.perf_counter()
            live = [i for i, doc in enumerate(docs) if results[i] is doc]
            predict = getattr(step.run, "predict", None)
            if predict is not None and len(live) > 1:
                try:
                    predictions: list[Any] | None = predict([docs[i] for i in live])
                except Exception:  # noqa: BLE001 - found again below, document by document
                    predictions = None
                for j, i in enumerate(live):
                    try:
                        prediction = predictions[j] if predictions is not None else predict([docs[i]])[0]
                        step.run.set_annotations(docs[i], prediction)
                    except Exception as exc:  # noqa: BLE001 - this document's failure, reported in its place
                        results[i] = exc
            else:
                for i in live:
                    try:
                        step.run(docs[i])
                    except Exception as exc:  # noqa: BLE001 - this document's failure, reported in its place
                        results[i] = exc
            if timings is not None:
                timings[step.name] = timings.get(step.name, 0.0) + time.perf_counter() - started
        return results

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None, lexicon: "Lexicon | None" = None) -> "Pipeline":
        """Assemble the pipeline a configuration describes (default: ``loaders/pipeline.toml``).

        ``config`` may hold only what differs from the default: a ``[pipeline] components`` list replaces the
        default order; ``[components.NAME]`` tables are merged over the default options of that component
        (unless they name another factory, whose options start afresh).
        """
        from .lexicon import default_lexicon

        _load_builtin()
        lexicon = lexicon or default_lexicon()
        base = default_config()
        config = config or {}
        names = config.get("pipeline", {}).get("components", base["pipeline"]["components"])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise PipelineConfigError("[pipeline] components must be a list of component names")
        options_by_name = {**base.get("components", {})}
        for name, options in config.get("components", {}).items():
            if not isinstance(options, dict):
                raise PipelineConfigError(f"[components.{name}] must be a table")
            base_options = options_by_name.get(name, {})
            if "factory" in options and options["factory"] != base_options.get("factory", name):
                base_options = {}      # another factory: the default's options are not its options
            options_by_name[name] = {**base_options, **options}
        steps = []
        for name in names:
            options = dict(options_by_name.get(name, {}))
            factory_name = options.pop("factory", name)
            factory = _FACTORIES.get(factory_name)
            if factory is None:
                raise PipelineConfigError(f"component {name!r}: no factory {factory_name!r} (available: {', '.join(available())})")
            try:
                run = factory(lexicon, **options)
            except TypeError as exc:
                raise PipelineConfigError(f"component {name!r}: bad options {options}: {exc}") from None
            except ValueError as exc:      # a factory's own check of an option's value
                raise PipelineConfigError(f"component {name!r}: {exc}") from None
            steps.append(Step(name, factory_name, run))
        return cls(steps, lexicon)
