"""Scenario files to compiled, frozen :class:`~game.engine.model.Scenario` objects.

Loading happens in four passes. Each reports every problem it finds, and a
problem in one pass does not stop the next, so a modder gets the whole list in
one run:

1. **Read** the YAML with the hardened reader (:mod:`game.content.yamlsafe`);
   only a file that cannot be read to its end stops here.
2. **Structure** it into the attrs classes of :mod:`game.content.schema` with
   the strict cattrs converter; its error tree is walked back to the YAML
   positions, so a typo, a wrong type or an out-of-range meter is reported at
   its own line and column. On errors the forgiving converter reads the file
   anyway, with stand-ins for what is wrong, for the passes below.
3. **Include** the move libraries the scenario names and merge their families,
   rules and moves with the scenario's own.
4. **Cross-reference and compile**: ids must be unique and declared, and every
   condition and effect is compiled once into a closure. An expression problem
   points at the exact character inside the YAML value; so does a warning about
   what can never happen (a condition its ranges settle, an unused counter).

What a later pass finds on a line where an earlier one found an error is left
out: it is about a stand-in, not the file.

Nothing here raises on bad content: :func:`load_scenario` returns a
:class:`LoadResult` holding the scenario (or None) and every diagnostic.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import pathlib
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from game.content import languages, schema
from game.content.diagnostics import ContentError, Diagnostic, Severity
from game.content.schema import (
    CONVERTER,
    FORGIVING,
    FORMAT_VERSION,
    FORMATS,
    RESERVED_MOVE_IDS,
    EventDef,
    FieldError,
    KeyedErrors,
    LibraryDef,
    MoveDef,
    RulesDef,
    ScenarioDef,
)
from game.content.yamlsafe import (
    MAX_BYTES,
    Marks,
    Path,
    locate,
    read_bytes,
    read_yaml_partial,
    source_lines,
)
from game.engine import expr, meters, model
from game.engine.expr import (
    ACCORD,
    COUNTER,
    PARTY,
    SEAT,
    Effect,
    ExprError,
    IdTables,
    Notes,
    Scope,
    did_you_mean,
)
from game.files import open_regular
from game.lang import LANGUAGES
from game.paths import PROJECT_DIR, SCENARIO_DIR
from game.tunables import difficulty_file

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
LIBRARY_DIR = PACKAGE_DIR / "library"

OUTCOMES = ("peace", "stalemate", "conflict")
_SELF_WORD = re.compile(r"\bself\b")


@attrs.frozen
class LoadResult:
    """A loaded scenario (None when there are errors) and every problem found."""

    scenario: model.Scenario | None
    diagnostics: tuple[Diagnostic, ...]
    definition: ScenarioDef | None = None
    source_bytes: bytes = b""
    # The included libraries as read: (name, file, bytes). With source_bytes,
    # all a save needs to rebuild this exact scenario without the files.
    library_bytes: tuple[tuple[str, str, bytes], ...] = ()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    def unwrap(self) -> model.Scenario:
        """The scenario, or a :class:`ContentError` with every error."""
        if self.scenario is None:
            raise ContentError(self.errors)
        return self.scenario


def display_name(path: pathlib.Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    path = pathlib.Path(path)
    try:
        return path.resolve().relative_to(pathlib.Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ------------------------------------------------------------------ reporting


class _Report:
    """Collects diagnostics for one file, turning data paths into positions."""

    def __init__(self, file: str, marks: Marks | None, lines: Sequence[str] = ()):
        self.file = file
        self.marks = marks
        self.lines = lines  # the source, to place a character inside a value
        self.items: list[Diagnostic] = []
        self.structure_paths: list[Path] = []  # where the strict structuring failed

    def at(
        self,
        path: Path,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
        offset: int = 0,
    ) -> None:
        line, col = (1, 1)
        if self.marks is not None:
            line, col = self.marks.key_at(path) if key else self.marks.at(path)
        self.items.append(Diagnostic(self.file, line, col + offset, message, hint, severity))

    def warn(self, path: Path, message: str, hint: str = "", *, key: bool = False) -> None:
        self.at(path, message, hint, key=key, severity=Severity.WARNING)

    def expression(self, path: Path, error: ExprError, severity: Severity = Severity.ERROR) -> None:
        """Each problem of an expression, at its character inside the YAML value."""
        for problem in error.errors:
            if self.marks is None:
                self.at(path, problem.message, problem.hint, severity=severity)
                continue
            line, col = self.marks.at(path)
            style = self.marks.styles.get(tuple(path))
            line, col = locate(self.lines, line, col, style, problem.offset)
            self.items.append(
                Diagnostic(self.file, line, col, problem.message, problem.hint, severity)
            )

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)


_YAML_NAME = {field: yaml for (_, field), yaml in schema.YAML_NAMES.items()}


def _report_structure(report: _Report, error: BaseException, path: Path, cls: type | None) -> None:
    """Walk a cattrs error tree into diagnostics at the right YAML positions."""
    if isinstance(error, KeyError | FieldError):
        report.structure_paths.append(path)
    if isinstance(error, ForbiddenExtraKeysError):
        fields = _yaml_fields(error.cl)
        for key in sorted(error.extra_fields, key=str):
            hint = did_you_mean(str(key), fields) or "remove it"
            report.at((*path, key), f"unknown key '{key}'", hint, key=True)
        return
    if isinstance(error, BaseExceptionGroup):
        for sub in error.exceptions:
            sub_path, sub_cls = path, cls
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    sub_path = (*path, _YAML_NAME.get(note.name, note.name))
                elif isinstance(note, IterableValidationNote):
                    sub_path = (*path, note.index)
            _report_structure(report, sub, sub_path, sub_cls)
        return
    if isinstance(error, KeyError):
        missing = path[-1]
        parent = path[:-1]
        report.at(parent, f"missing key '{missing}'", f"add '{missing}:'", key=bool(parent))
        return
    if isinstance(error, KeyedErrors):
        for key, problem in error.errors:
            report.at((*path, key), problem.message, problem.hint, key=problem.key == "key")
        return
    if isinstance(error, FieldError):
        report.at(path, error.message, error.hint)
        return
    report.at(path, f"this value is not valid: {error}")  # pragma: no cover - defensive


def _yaml_fields(cls: type) -> list[str]:
    names = {field: yaml for (owner, field), yaml in schema.YAML_NAMES.items() if owner is cls}
    return [names.get(a.name, a.name) for a in attrs.fields(cls)]


def _structure(report: _Report, data: Any, cls: type) -> tuple[Any, bool]:
    """The structured value, and whether it is exact.

    When the strict converter refuses the file (every problem is reported), the
    forgiving one still reads it, so the later passes can check what is there.
    """
    try:
        return CONVERTER.structure(data, cls), True
    except Exception as error:
        _report_structure(report, error, (), cls)
    try:
        return FORGIVING.structure(data, cls), False
    except Exception:  # pragma: no cover - the forgiving converter is built not to raise
        return None, False


# The top-level keys whose ids expressions name: when one of them could not be
# read at all, every reference to its ids would be reported as unknown.
_DECLARING = frozenset({"parties", "relations", "envoys", "accords", "counters", "includes"})


def _declarations_lost(report: _Report) -> bool:
    return any(len(path) == 1 and path[0] in _DECLARING for path in report.structure_paths)


def _without_consequences(
    items: list[Diagnostic], stages: Sequence[int], libraries: Sequence[Diagnostic] = ()
) -> list[Diagnostic]:
    """Drop what a pass found on a line where an earlier pass found an error.

    After a failed step (``stages`` are where each pass's diagnostics start), the next
    pass reads a stand-in value (a dropped key, the forgiving converter's fallback),
    and what it finds on that line is about the stand-in, not about the file.
    """
    kept = list(items[: stages[0]])
    lines = {(d.file, d.line) for d in (*kept, *libraries) if d.is_error}
    for start, end in zip(stages, [*stages[1:], len(items)], strict=True):
        batch = [d for d in items[start:end] if (d.file, d.line) not in lines]
        kept += batch
        lines |= {(d.file, d.line) for d in batch if d.is_error}
    return kept


# ------------------------------------------------------------------ libraries


@attrs.frozen
class _Library:
    definition: LibraryDef
    file: str
    marks: Marks
    data: bytes


def _read_mapping(
    report: _Report, path: pathlib.Path | None, data: bytes | None, file: str, what: str
) -> tuple[dict | None, Marks | None, bytes]:
    try:
        if data is None:
            assert path is not None
            raw = read_bytes(path, file)
        else:
            raw = data
    except ContentError as error:
        report.items.extend(error.diagnostics)
        return None, None, b""
    tree, marks, problems = read_yaml_partial(raw, file)
    report.items.extend(problems)
    if marks is None:
        return None, None, b""
    report.marks = marks
    report.lines = source_lines(raw)
    if not isinstance(tree, dict):
        kind = "a list" if isinstance(tree, list) else "a single value"
        report.at(
            (),
            f"{what} must be a mapping of keys, but this file holds {kind}",
            "start with 'format: 1' and 'id: ...' at the left margin",
        )
        return None, None, b""
    return tree, marks, raw


def _check_format(report: _Report, tree: dict) -> bool:
    version = tree.get("format")
    if version is None:
        report.at((), "missing key 'format'", f"add 'format: {FORMAT_VERSION}' at the top")
        return False
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        report.at(
            ("format",),
            f"format {version} is newer than this game reads",
            f"this version of Envoy reads format {FORMAT_VERSION}; update the game",
        )
        return False
    if version not in FORMATS or isinstance(version, bool):
        report.at(("format",), f"unknown format {version!r}", f"write 'format: {FORMAT_VERSION}'")
        return False
    return True


def load_library(
    path: pathlib.Path | None, file: str | None = None, data: bytes | None = None
) -> tuple[_Library | None, list]:
    """Read and structure a move library (a file, or its bytes); it compiles with each scenario."""
    library, problems = _read_library(path, file, data)
    if any(d.is_error for d in problems):
        return None, problems
    return library, problems


def _read_library(
    path: pathlib.Path | None, file: str | None = None, data: bytes | None = None
) -> tuple[_Library | None, list]:
    """A library as far as it can be read, even with errors (the scenario that includes
    it is then refused, but its own expressions are still checked), and its problems."""
    if file is None:
        file = display_name(path) if path is not None else "<library>"
    if data is None:
        assert path is not None
        try:
            data = read_bytes(path, file)
        except ContentError as error:
            return None, list(error.diagnostics)
    library, problems = _library_from_bytes(file, data)
    return library, list(problems)


# Every scenario includes the standard library, so the crisis list and the checker
# would otherwise parse the same bytes once per crisis. The result is immutable.
@functools.lru_cache(maxsize=16)
def _library_from_bytes(file: str, data: bytes) -> tuple[_Library | None, tuple[Diagnostic, ...]]:
    report = _Report(file, None)
    tree, marks, raw = _read_mapping(report, None, data, file, "a move library")
    if tree is None or marks is None or not _check_format(report, tree):
        return None, tuple(report.items)
    definition, _ = _structure(report, tree, LibraryDef)
    if definition is None:  # pragma: no cover - the forgiving converter always reads
        return None, tuple(report.items)
    _check_library(report, definition)
    return _Library(definition, file, marks, raw), tuple(report.items)


def _check_bargaining(report: _Report, rules: RulesDef) -> None:
    """What the types of the bargaining numbers cannot say, in the file that sets them."""
    bargaining = rules.bargaining
    if bargaining is None:
        return
    path = ("rules", "bargaining")
    acceptance = bargaining.acceptance
    if acceptance is not None and acceptance.spread <= 0:
        hint = "for example 1.0; larger makes a party's answer less sharp"
        report.at((*path, "acceptance", "spread"), "the acceptance spread must be above 0", hint)
    if acceptance is not None and acceptance.floor > acceptance.ceiling:
        report.at((*path, "acceptance", "floor"), "the acceptance floor is above its ceiling")
    difficulties = list(difficulty_file()["difficulties"])
    for name, exponent in (bargaining.concession or {}).items():
        if name not in difficulties:
            report.at(
                (*path, "concession", name),
                f"unknown difficulty '{name}'",
                did_you_mean(name, difficulties),
                key=True,
            )
        elif exponent <= 0:
            report.at(
                (*path, "concession", name),
                f"the concession exponent of '{name}' must be above 0",
                "below 1 concedes late, 1 steadily, above 1 early",
            )


def _check_library(report: _Report, library: LibraryDef) -> None:
    _check_bargaining(report, library.rules)
    _unique(report, ("families",), [f.id for f in library.families], "family")
    _unique(report, ("moves",), [m.id for m in library.moves], "move")
    for index, move in enumerate(library.moves):
        if move.id in RESERVED_MOVE_IDS:
            report.at(("moves", index, "id"), f"'{move.id}' is a reserved word", "rename it")


def _find_library(name: str, folder: pathlib.Path | None) -> pathlib.Path | None:
    for base in (folder, LIBRARY_DIR):
        if base is not None:
            candidate = base / f"{name}.yaml"
            if candidate.is_file():
                return candidate
    return None


def _library_name(found: pathlib.Path, file: str, folder: pathlib.Path | None) -> str:
    """A library is named like the scenario that includes it: one beside it from the
    same place, the game's own from the game's folder (never an absolute path, which
    would reach the debrief and the saves)."""
    if folder is not None and found.parent == folder:
        return posixpath.join(posixpath.dirname(file), found.name)
    if found.is_relative_to(PROJECT_DIR):
        return found.relative_to(PROJECT_DIR).as_posix()
    return display_name(found)


def is_library_file(path: pathlib.Path) -> bool:
    """Whether a YAML file is a move library (it has a top-level ``library:`` key)."""
    try:
        with open_regular(path, MAX_BYTES) as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return re.search(rb"(?m)^library\s*:", head) is not None


# ------------------------------------------------------------------- scenarios


def load_scenario(path: pathlib.Path | str, file: str | None = None) -> LoadResult:
    """Load, check and compile one scenario file. Never raises on bad content."""
    path = pathlib.Path(path)
    return _load(path, None, file or display_name(path), path.parent)


def load_scenario_bytes(
    data: bytes,
    file: str,
    folder: pathlib.Path | None = None,
    libraries: Mapping[str, tuple[str, bytes]] | None = None,
) -> LoadResult:
    """Load a scenario from bytes (for example the copy embedded in a save).

    With ``libraries`` (name -> (file, bytes)), included libraries come from there and
    never from disk, so an embedded copy compiles the same everywhere.
    """
    return _load(None, data, file, folder, libraries)


def _load(
    path: pathlib.Path | None,
    data: bytes | None,
    file: str,
    folder: pathlib.Path | None,
    embedded: Mapping[str, tuple[str, bytes]] | None = None,
) -> LoadResult:
    report = _Report(file, None)
    tree, _, raw = _read_mapping(report, path, data, file, "a scenario")
    if tree is None:
        return LoadResult(None, _sorted(report.items))
    if "library" in tree and "id" not in tree:
        report.at(
            ("library",),
            "this is a move library, not a scenario",
            "scenarios name it under 'includes:'",
            key=True,
        )
        return LoadResult(None, _sorted(report.items))
    if not _check_format(report, tree):
        return LoadResult(None, _sorted(report.items))
    stages = [len(report.items)]
    definition, exact = _structure(report, tree, ScenarioDef)
    if definition is None:  # pragma: no cover - the forgiving converter always reads
        return LoadResult(None, _sorted(report.items))
    stages.append(len(report.items))
    exact = exact and not report.has_errors  # a problem the reader could read past
    _check_translations(report, definition)
    libraries, other = [], []
    for index, name in enumerate(definition.includes):
        if embedded is not None:
            known, (library_file, data) = list(embedded), embedded.get(name, ("", b""))
            source = (None, data) if name in embedded else None
        else:
            known = [p.stem for p in LIBRARY_DIR.glob("*.yaml")]
            found = _find_library(name, folder)
            library_file = _library_name(found, file, folder) if found else ""
            source = (found, None) if found else None
        if source is None:
            report.at(("includes", index), f"unknown library '{name}'", did_you_mean(name, known))
            continue
        library, problems = _read_library(source[0], library_file, source[1])
        other.extend(problems)
        if any(d.is_error for d in problems):
            report.at(("includes", index), f"library '{name}' has errors", f"see {library_file}")
        if library is not None:
            libraries.append(library)
    scenario = None
    complete = len(libraries) == len(definition.includes)
    # Every part that could be read is checked, whatever failed elsewhere: the
    # modder gets all the problems of the file in one run.
    if exact or not _declarations_lost(report):
        scenario = _Compiler(report, definition, libraries, raw, complete).build()
    items = _without_consequences(report.items, stages, other)
    if any(d.is_error for d in (*items, *other)):
        scenario = None
    used = tuple(
        (name, library.file, library.data)
        for name, library in zip(definition.includes, libraries, strict=False)
        if scenario is not None
    )
    kept = definition if exact else None
    return LoadResult(scenario, _sorted(items + other), kept, raw, used)


def _texts(value: Any, path: Path) -> Iterable[tuple[Path, schema.Text]]:
    """Every player-facing text in a structured value, with its YAML path."""
    if isinstance(value, schema.Text):
        yield path, value
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            key = _YAML_NAME.get(field.name, field.name)
            yield from _texts(getattr(value, field.name), (*path, key))


def _check_translations(report: _Report, definition: ScenarioDef) -> None:
    """Warn where a language code is not one, and where a text lacks a language the
    scenario uses elsewhere (English is shown)."""
    texts = list(_texts(definition, ()))
    codes = list(dict.fromkeys(lang for _, text in texts for lang in text.languages()))
    used = sorted(code for code in codes if code != "en" and languages.is_known(code))
    likely = [*used, *LANGUAGES]
    for code in codes:
        if languages.is_known(code):
            continue
        # Once, at its first use: every text missing it would otherwise be flagged.
        path = next(path for path, text in texts if code in text.languages())
        report.warn(
            (*path, code),
            f"unknown language '{code}'",
            languages.suggestion(code, likely),
            key=True,
        )
    for path, text in texts:
        missing = [lang for lang in used if lang not in text.languages()]
        if missing:
            listed = ", ".join(missing)
            report.warn(
                path,
                f"this text has no '{listed}' translation; players who chose "
                f"{'that language' if len(missing) == 1 else 'those languages'} read English",
                f"write it as a mapping: en: ..., {missing[0]}: ...",
            )


def _sorted(items: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = dict.fromkeys(items)
    return tuple(sorted(unique, key=lambda d: (d.file, d.line, d.col)))


def _unique(report: _Report, path: Path, ids: Sequence[str], what: str, field: str = "id") -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(ids):
        if item in seen:
            report.at(
                (*path, index, field),
                f"{what} '{item}' is declared twice",
                f"the first is item {seen[item] + 1}; ids must be unique",
            )
        else:
            seen[item] = index


# ------------------------------------------------------------------- compiler


class _Compiler:
    """Cross-references a structured scenario and builds the engine's model."""

    def __init__(
        self,
        report: _Report,
        scenario: ScenarioDef,
        libraries: list[_Library],
        raw: bytes,
        complete: bool = True,
    ):
        self.report = report
        self.d = scenario
        self.libraries = libraries
        self.raw = raw
        # False when an included library could not be read: what it would have
        # declared (families, rules, moves) is then not missing from the scenario.
        self.complete = complete
        self.tables: IdTables | None = None
        self.notes = Notes()
        self.library_reports: dict[str, _Report] = {}

    # helpers -------------------------------------------------------------------
    def _report_for(self, owner: _Library | None) -> _Report:
        """The report for a path in the scenario (None) or in an included library.

        A library's report is made once, with its source lines, and shares the
        scenario's list of diagnostics.
        """
        if owner is None:
            return self.report
        if owner.file not in self.library_reports:
            report = _Report(owner.file, owner.marks, source_lines(owner.data))
            report.items = self.report.items
            self.library_reports[owner.file] = report
        return self.library_reports[owner.file]

    def _position(self, owner: _Library | None, path: Path) -> tuple[str, int, int]:
        report = self._report_for(owner)
        line, col = report.marks.at(path) if report.marks else (1, 1)
        return report.file, line, col

    def compile(
        self, kind: str, text: Any, path: Path, scope: Scope, owner: _Library | None = None
    ) -> Any:
        """Compile one condition ('bool') or number; None (and a diagnostic) on error."""
        compiler = expr.compile_condition if kind == "bool" else expr.compile_number
        try:
            return compiler(str(text), self.tables, scope, self.notes)
        except ExprError as error:
            self._report_for(owner).expression(path, error)
            return None
        finally:
            self.flush_warnings(path, owner)

    def needs(self, compiled: Any, text: Any, scope: Scope) -> tuple[expr.Need, ...] | None:
        """What a condition that compiled asks, for the player (None: no description)."""
        return None if compiled is None else expr.describe_condition(str(text), self.tables, scope)

    def flush_warnings(self, path: Path, owner: _Library | None) -> None:
        """Report the warnings the last expression compiled left in the notes."""
        for warning in self.notes.warnings:
            self._report_for(owner).expression(path, warning, Severity.WARNING)
        self.notes.warnings.clear()

    def chance(self, value: Any, path: Path, scope: Scope, owner: _Library | None = None):
        if isinstance(value, int | float):
            constant = float(value)
            return (lambda w, c: constant), f"{constant:g}"
        return self.compile("number", value, path, scope, owner), str(value)

    def effects(
        self, texts: Sequence[str], path: Path, scope: Scope, owner: _Library | None = None
    ) -> tuple[Effect, ...]:
        compiled = []
        for index, text in enumerate(texts):
            where = (*path, index)
            try:
                run = expr.compile_effect(text, self.tables, scope, self.notes)
            except ExprError as error:
                self._report_for(owner).expression(where, error)
                continue
            finally:
                self.flush_warnings(where, owner)
            file, line, col = self._position(owner, where)
            uses_self = bool(_SELF_WORD.search(text))
            compiled.append(Effect(text, run, file, line, col, uses_self))
        return tuple(compiled)

    # the passes ----------------------------------------------------------------
    def build(self) -> model.Scenario | None:
        d = self.d
        self.check_ids()
        families = self.merge_families()
        rules = self.merge_rules()
        moves = self.merge_moves()
        # No problem so far stops the expressions from being checked: the modder
        # gets every kind at once. The compilers skip what is undeclared.
        self.tables = self.make_tables()
        self.notes = Notes(self.ranges(rules))
        self.check_references(families, rules, moves)
        self.check_format_keys()
        shapes = [self.accord_shape(index, accord) for index, accord in enumerate(d.accords)]
        parties = self.compile_parties(rules, shapes)
        envoys = self.compile_envoys(rules, shapes)
        accords = self.compile_accords(shapes)
        compiled_moves = self.compile_moves(moves)
        events = self.compile_events()
        peace = self.compile("bool", d.peace, ("peace",), Scope())
        self.check_use(moves, rules)
        if self.report.has_errors or rules is None:
            return None
        rank = {family: index for index, family in enumerate(rules.resolution_order)}
        digest = hashlib.sha256(self.raw)
        for library in self.libraries:
            digest.update(library.data)
        facts = tuple(
            model.Fact(p_index, fact.id, fact.text)
            for p_index, party in enumerate(d.parties)
            for fact in party.facts
        )
        return model.Scenario(
            id=d.id,
            title=d.title,
            summary=d.summary,
            briefing=d.briefing,
            difficulty=d.difficulty,
            inspired_by=d.inspired_by,
            teacher=d.teacher,
            turns=d.turns,
            conflict_at=d.conflict_at,
            families=tuple(model.Family(f.id, f.name, f.text, f.color) for f in families),
            parties=parties,
            relations=tuple(self.relations()),
            envoys=envoys,
            accords=accords,
            moves=compiled_moves,
            events=events,
            facts=facts,
            counters=tuple(d.counters),
            counter_start=tuple(d.counters.values()),
            peace=peace,
            rules=rules,
            tables=self.tables,
            content_hash=digest.hexdigest(),
            source=self.report.file,
            family_rank=rank,
            envoy_party=tuple(_index(self.tables.parties, e.party) for e in d.envoys),
            format=d.format,
            tags=d.tags,
        )

    def check_ids(self) -> None:
        d, report = self.d, self.report
        _check_bargaining(report, d.rules)
        _unique(report, ("parties",), [p.id for p in d.parties], "party")
        _unique(report, ("envoys",), [e.id for e in d.envoys], "envoy")
        _unique(report, ("accords",), [a.id for a in d.accords], "accord")
        _unique(report, ("moves",), [m.id for m in d.moves], "move")
        _unique(report, ("events",), [e.id for e in d.events], "event")
        for index, party in enumerate(d.parties):
            path = ("parties", index)
            _unique(report, (*path, "facts"), [f.id for f in party.facts], "hidden fact")
            _unique(report, (*path, "behaviours"), [b.id for b in party.behaviours], "behaviour")
        for index, envoy in enumerate(d.envoys):
            _unique(report, ("envoys", index, "agenda"), [o.id for o in envoy.agenda], "objective")
        for index, move in enumerate(d.moves):
            if move.id in RESERVED_MOVE_IDS:
                report.at(("moves", index, "id"), f"'{move.id}' is a reserved word", "rename it")
        if not d.parties:
            report.at(("parties",), "a scenario needs at least two parties")
        elif len(d.parties) < 2:
            report.at(("parties",), "a scenario needs at least two parties", "add another party")
        if not d.envoys:
            report.at(("envoys",), "a scenario needs at least one envoy")
        if not d.relations:
            report.at(("relations",), "a scenario needs at least one relation")

    def merge_families(self) -> list[schema.FamilyDef]:
        """The families of every included library; the first library to name one wins."""
        families: dict[str, schema.FamilyDef] = {}
        for library in self.libraries:
            for family in library.definition.families:
                families.setdefault(family.id, family)
        return list(families.values())

    def merge_rules(self) -> model.Rules | None:
        merged: dict[str, Any] = {}
        for layer in [lib.definition.rules for lib in self.libraries] + [self.d.rules]:
            for field in attrs.fields(RulesDef):
                value = getattr(layer, field.name)
                if value is not None:
                    merged[field.name] = value
        # Bargaining is checked on its own, and only an accord with issues needs it: a
        # library written before format 2 (a mod's, or the copy a save embeds) lacks it.
        missing = [
            f.name
            for f in attrs.fields(RulesDef)
            if f.name not in merged and f.name not in ("bargaining", "repetition")
        ]
        if missing and not self.complete:
            return None  # the unreadable library would have set them
        if missing:
            self.report.at(
                ("rules",),
                f"rules.{missing[0]} is not set",
                "include the 'standard' library, or set it under 'rules:'",
                key=True,
            )
            return None
        bargaining = self.merge_bargaining()
        merged.pop("bargaining", None)
        repetition: schema.RepetitionDef | None = merged.pop("repetition", None)
        scoring: schema.ScoringDef = merged.pop("scoring")
        for name in ("shared", "multiplier"):
            table = getattr(scoring, name)
            for outcome in OUTCOMES:
                if outcome not in table:
                    self.report.at(
                        ("rules", "scoring", name),
                        f"scoring.{name} has no '{outcome}'",
                        f"give a value for each of: {', '.join(OUTCOMES)}",
                    )
            for key in table:
                if key not in OUTCOMES:
                    self.report.at(
                        ("rules", "scoring", name, key),
                        f"'{key}' is not an outcome",
                        did_you_mean(key, OUTCOMES),
                    )
        for low, high in (("pressure_min", "pressure_max"), ("counter_min", "counter_max")):
            if merged[low] > merged[high]:
                self.report.at(("rules", low), f"{low} is above {high}")
        return model.Rules(
            **merged,
            shared_points=dict(scoring.shared),
            multiplier=dict(scoring.multiplier),
            standing_weight=scoring.standing_weight,
            bargaining=bargaining,
            repetition=None
            if repetition is None
            else model.Repetition(repetition.window, repetition.factor),
        )

    def merge_bargaining(self) -> model.Bargaining | None:
        """The bargaining numbers, field by field: a scenario may tune one of them.

        They are needed only by an accord with issues, so a format-1 crisis whose
        libraries lack them loads as before.
        """
        merged: dict[str, Any] = {}
        for layer in [lib.definition.rules for lib in self.libraries] + [self.d.rules]:
            if layer.bargaining is None:
                continue
            for field in attrs.fields(schema.BargainingDef):
                value = getattr(layer.bargaining, field.name)
                if value is not None:
                    merged[field.name] = value
        needed = any(accord.issues for accord in self.d.accords)
        # Scoring and compliance are optional: a crisis (or a save's copy of one,
        # made before they existed) without them scores as format 1 does, by
        # `rules.scoring`, and keeps every deal it signs.
        missing = [
            f.name
            for f in attrs.fields(schema.BargainingDef)
            if f.name not in merged and f.name not in ("scoring", "compliance")
        ]
        if missing:
            if needed and self.complete:
                self.report.at(
                    ("rules",),
                    f"rules.bargaining.{missing[0]} is not set, and accords with issues need it",
                    "include the 'standard' library, or set it under 'rules: bargaining:'",
                    key=True,
                )
            return None
        acceptance: schema.AcceptanceDef = merged["acceptance"]
        return model.Bargaining(
            midpoint=acceptance.midpoint,
            trust_discount=acceptance.trust_discount,
            spread=acceptance.spread,
            floor=acceptance.floor,
            ceiling=acceptance.ceiling,
            log_rolling_min=merged["log_rolling_min"],
            concession=dict(merged["concession"]),
            scoring=None
            if "scoring" not in merged
            else model.DealScoring(
                deal_weight=merged["scoring"].deal_weight,
                peace_bonus=merged["scoring"].peace_bonus,
                conflict=merged["scoring"].conflict,
            ),
            compliance=None
            if "compliance" not in merged
            else model.Compliance(**attrs.asdict(merged["compliance"])),
        )

    def merge_moves(self) -> list[tuple[MoveDef, _Library | None, Path]]:
        """Library moves, minus the disabled ones, with the scenario's added or replacing."""
        d, report = self.d, self.report
        moves: dict[str, tuple[MoveDef, _Library | None, Path]] = {}
        for library in self.libraries:
            for index, move in enumerate(library.definition.moves):
                moves[move.id] = (move, library, ("moves", index))
        library_ids = list(moves)
        for index, name in enumerate(d.disable_moves):
            if name not in moves:
                report.at(
                    ("disable_moves", index),
                    f"there is no library move '{name}'",
                    did_you_mean(name, library_ids),
                )
            else:
                del moves[name]
        for index, move in enumerate(d.moves):
            path = ("moves", index)
            replaces = move.id in library_ids
            if replaces and not move.override:
                report.warn(
                    (*path, "id"),
                    f"move '{move.id}' replaces the library move",
                    "add 'override: true' if that is intended",
                )
            if move.override and not replaces:
                report.warn(
                    (*path, "override"),
                    f"there is no library move '{move.id}' to override",
                    did_you_mean(move.id, library_ids),
                )
            moves[move.id] = (move, None, path)
        if not moves and self.complete:
            report.at(("moves",), "the scenario has no moves", "include the 'standard' library")
        return list(moves.values())

    def make_tables(self) -> IdTables:
        d, report = self.d, self.report
        parties = tuple(p.id for p in d.parties)
        count = len(parties)
        relation_of = [[-1] * count for _ in range(count)]
        by_party: list[list[int]] = [[] for _ in range(count)]
        complete = True  # every relation names two declared parties
        for index, relation in enumerate(d.relations):
            path = ("relations", index, "between")
            a, b = relation.between
            bad = False
            for slot, name in enumerate((a, b)):
                if name not in parties:
                    report.at((*path, slot), f"unknown party '{name}'", did_you_mean(name, parties))
                    bad = True
            if bad:
                complete = False
                continue
            if a == b:
                report.at(path, f"a relation needs two different parties, not '{a}' twice")
                continue
            ia, ib = parties.index(a), parties.index(b)
            if relation_of[ia][ib] >= 0:
                report.at(path, f"the relation between '{a}' and '{b}' is declared twice")
                continue
            relation_of[ia][ib] = relation_of[ib][ia] = index
            by_party[ia].append(index)
            by_party[ib].append(index)
        return IdTables(
            parties=parties,
            envoys=tuple(e.id for e in d.envoys),
            accords=tuple(a.id for a in d.accords),
            counters=tuple(d.counters),
            facts=tuple((i, f.id) for i, p in enumerate(d.parties) for f in p.facts),
            relation_of=tuple(tuple(row) for row in relation_of),
            relations_of_party=tuple(tuple(row) for row in by_party),
            relation_count=len(d.relations),
            relations_complete=complete,
        )

    def relations(self) -> Iterable[model.Relation]:
        parties = self.tables.parties
        for index, relation in enumerate(self.d.relations):
            a, b = relation.between
            file, line, _ = self._position(None, ("relations", index, "pressure"))
            yield model.Relation(
                parties.index(a),
                parties.index(b),
                relation.tension,
                relation.trust,
                relation.pressure,
                f"{file}:{line}",
            )

    def check_references(self, families, rules: model.Rules | None, moves) -> None:
        d, report = self.d, self.report
        parties = self.tables.parties
        family_ids = [f.id for f in families]
        order = list(rules.resolution_order) if rules is not None else family_ids
        for family in family_ids:
            if family not in order:
                report.at(
                    ("rules", "resolution_order"),
                    f"family '{family}' is missing from rules.resolution_order",
                    "list every family once",
                    key=True,
                )
        for index, name in enumerate(order):
            if name not in family_ids:
                path = ("rules", "resolution_order", index)
                report.at(path, f"unknown family '{name}'", did_you_mean(name, family_ids))
        for move, owner, path in moves:
            if move.family not in family_ids and self.complete:
                self._report_for(owner).at(
                    (*path, "family"),
                    f"unknown family '{move.family}'",
                    did_you_mean(move.family, family_ids),
                )
            for d_index, delayed in enumerate(move.delayed):
                if (delayed.after is None) == (delayed.each_turn_for is None):
                    self._report_for(owner).at(
                        (*path, "delayed", d_index),
                        "a delayed effect needs exactly one of 'in' or 'each_turn_for'",
                    )
        for index, envoy in enumerate(d.envoys):
            path = ("envoys", index)
            if envoy.party is not None and envoy.party not in parties:
                report.at(
                    (*path, "party"),
                    f"unknown party '{envoy.party}'",
                    did_you_mean(envoy.party, parties),
                )
            for party in envoy.standing:
                if party not in parties:
                    report.at(
                        (*path, "standing", party),
                        f"unknown party '{party}'",
                        did_you_mean(party, parties),
                        key=True,
                    )
        players = d.teacher.players
        if players.min > players.max:
            report.at(("teacher", "players", "min"), "players.min is above players.max")
        if players.max > len(d.envoys):
            report.at(
                ("teacher", "players", "max"),
                f"there are only {len(d.envoys)} envoys",
                f"use {len(d.envoys)} or fewer",
            )
        required = sum(1 for e in d.envoys if e.required)
        if required > players.max:
            report.at(
                ("teacher", "players", "max"),
                f"{required} envoys are required",
                "players.max must seat them all",
            )
        for index, event in enumerate(d.events):
            self.check_event(index, event)

    def check_event(self, index: int, event: EventDef) -> None:
        report, path = self.report, ("events", index)
        triggers = [k for k in ("at_turn", "when", "pool") if getattr(event, k) is not None]
        if len(triggers) != 1:
            found = " and ".join(triggers) or "none"
            report.at(
                path,
                f"event '{event.id}' needs exactly one of at_turn, when or pool (found {found})",
                "choose how it fires",
            )
        if event.at_turn is not None and not 1 <= event.at_turn <= self.d.turns:
            report.warn(
                (*path, "at_turn"),
                f"turn {event.at_turn} never comes",
                f"the crisis lasts {self.d.turns} turns",
            )
        if event.decision is not None:
            decision = event.decision
            where = (*path, "decision")
            if decision.envoy not in self.tables.envoys:
                report.at(
                    (*where, "envoy"),
                    f"unknown envoy '{decision.envoy}'",
                    did_you_mean(decision.envoy, self.tables.envoys),
                )
            if len(decision.options) < 2:
                report.at((*where, "options"), "a decision needs at least two options")
            _unique(report, (*where, "options"), [o.id for o in decision.options], "option")

    # warnings ------------------------------------------------------------------
    def ranges(self, rules: model.Rules | None) -> dict[str, tuple[float, float, str]]:
        """The values each function can give in this crisis, for the expression warnings."""
        spans: dict[str, tuple[float, float, str]] = {}
        for meter in meters.METERS:
            if not meter.bounds:
                low, high = meters.SCALE
                spans[meter.name] = (low, high, f"meters go from {low} to {high}")
            elif rules is not None:
                low, high = meters.bounds(meter, rules)
                # A start outside the rules' range holds until an effect first changes it.
                starts = self.starts(meter)
                named = " and ".join(name for name in meter.bounds if name)
                spans[meter.name] = (
                    min([low, *starts]),
                    max([high, *starts]),
                    f"see rules.{named}",
                )
        spans["max_tension"] = spans["tension"]
        spans["min_trust"] = spans["trust"]
        turns = self.d.turns
        plural = "s" if turns != 1 else ""
        lasts = f"the crisis lasts {turns} turn{plural}, unless the facilitator adds some"
        spans["turn"] = (1, turns, lasts)
        spans["turns_left"] = (0, turns - 1, lasts)
        spans["accord_odds"] = (0, 1, "a chance goes from 0 to 1")
        return spans

    def starts(self, meter: meters.Meter) -> list[int]:
        """The values this crisis file starts a meter at, where the file sets them."""
        if meter.subject == "counter":
            return list(self.d.counters.values())
        if meter.subject == "relation" and meter.field in attrs.fields_dict(schema.RelationDef):
            return [getattr(relation, meter.field) for relation in self.d.relations]
        return []

    def check_use(self, moves, rules: model.Rules | None) -> None:
        """Warn about what is declared but can never count in a game."""
        d, report, notes = self.d, self.report, self.notes
        seats = min(len(d.envoys), d.teacher.players.max)
        for move, owner, path in moves:
            if move.joint is not None and move.joint.min_envoys > seats:
                self._report_for(owner).warn(
                    (*path, "joint", "min_envoys"),
                    f"this joint move needs {move.joint.min_envoys} envoys, but at most "
                    f"{seats} play this crisis, so it can never be made",
                    f"use {seats} or fewer" if seats >= 2 else "make it an ordinary move",
                )
            if rules is not None and move.cost > rules.capital_max:
                self._report_for(owner).warn(
                    (*path, "cost"),
                    f"this move costs {move.cost}, but an envoy holds at most "
                    f"{rules.capital_max} capital, so it can never be made",
                    f"use {rules.capital_max} or less, or raise rules.capital_max",
                )
            if owner is None and move.target == "accord" and not d.accords:
                report.warn(
                    (*path, "target"),
                    "this move is aimed at an accord, but the crisis has none",
                    "declare the accords under 'accords:'",
                )
        for name in d.counters:
            if (COUNTER, name) not in notes.used:
                report.warn(
                    ("counters", name),
                    f"counter '{name}' is never used in an expression",
                    f"count something with counter({name}) += 1, or remove it",
                    key=True,
                )
        # A fact is revealed by name, or by reveal_next/disclose_next of its party
        # (of any party, when the party is only known at run time).
        named = {(c[1], c[2]) for c in notes.changed if c[0] in ("reveal", "disclose")}
        next_of = {c[1] for c in notes.changed if c[0] in ("reveal_next", "disclose_next")}
        anyone = any(p not in self.tables.parties for p in next_of)
        for p_index, party in enumerate(d.parties):
            for f_index, fact in enumerate(party.facts):
                if anyone or party.id in next_of or (party.id, fact.id) in named:
                    continue
                report.warn(
                    ("parties", p_index, "facts", f_index, "id"),
                    f"hidden fact '{fact.id}' is never revealed",
                    f"reveal it in a move or an event: reveal({party.id}, {fact.id})",
                )

    # compiling -----------------------------------------------------------------
    def compile_parties(
        self, rules: model.Rules | None, shapes: Sequence[_Shape]
    ) -> tuple[model.Party, ...]:
        result = []
        scope = Scope({"self": PARTY}, allow_random=True)
        for index, party in enumerate(self.d.parties):
            path = ("parties", index)
            behaviours = []
            for b_index, b in enumerate(party.behaviours):
                where = (*path, "behaviours", b_index)
                when = self.compile("bool", b.when, (*where, "when"), scope)
                effects = self.effects(b.effects, (*where, "effects"), scope)
                behaviours.append(model.Behaviour(b.id, b.text, b.weight, when, effects))
            idle = party.idle_weight
            if idle is None:
                idle = rules.behaviour_idle_weight if rules is not None else 0.0
            result.append(
                model.Party(
                    party.id,
                    party.name,
                    party.color,
                    party.map,
                    party.posture,
                    party.resolve,
                    party.text,
                    tuple(behaviours),
                    idle,
                    self.interests(party.interests, path, shapes, index),
                )
            )
        return tuple(result)

    def compile_envoys(
        self, rules: model.Rules | None, shapes: Sequence[_Shape]
    ) -> tuple[model.Envoy, ...]:
        result = []
        scope = Scope({"self": SEAT})
        parties = self.tables.parties
        for index, envoy in enumerate(self.d.envoys):
            path = ("envoys", index)
            agenda = []
            for o_index, objective in enumerate(envoy.agenda):
                where = (*path, "agenda", o_index, "when")
                when = self.compile("bool", objective.when, where, scope)
                agenda.append(model.Objective(objective.id, objective.text, when, objective.points))
            default = rules.standing_default if rules is not None else 0
            standing = tuple(envoy.standing.get(p, default) for p in parties)
            party = _index(parties, envoy.party)
            if envoy.party is not None and envoy.interests:
                self.report.at(
                    (*path, "interests"),
                    f"envoy '{envoy.id}' speaks for '{envoy.party}', so its values are its party's",
                    f"remove them, and give '{envoy.party}' its interests instead",
                    key=True,
                )
            if envoy.batna is None and any(shape.issues for shape in shapes):
                self.report.at(
                    (*path, "id"),
                    f"envoy '{envoy.id}' has no batna: what a stalemate is worth to it",
                    "add 'batna: 0' (or what no deal scores it, -10..+10)",
                )
            values = ()
            if envoy.party is None:
                values = self.interests(envoy.interests, path, shapes, None)
            result.append(
                model.Envoy(
                    envoy.id,
                    envoy.name,
                    party,
                    envoy.required,
                    envoy.capital,
                    envoy.text,
                    standing,
                    tuple(agenda),
                    values,
                    envoy.batna or 0.0,
                )
            )
        return tuple(result)

    # format 2 --------------------------------------------------------------------
    def check_format_keys(self) -> None:
        """Format-2 keys need 'format: 2', so a format-1 file means what it always did."""
        d = self.d
        if d.format >= 2:
            return
        found: list[Path] = [("tags",)] if d.tags else []
        for index, accord in enumerate(d.accords):
            found += [("accords", index, k) for k in _ACCORD_KEYS if getattr(accord, k)]
        for index, party in enumerate(d.parties):
            found += [("parties", index, "interests")] if party.interests else []
        for index, envoy in enumerate(d.envoys):
            found += [("envoys", index, "interests")] if envoy.interests else []
            found += [("envoys", index, "batna")] if envoy.batna is not None else []
        for path in found:
            self.report.at(
                path,
                f"'{path[-1]}' is part of format 2",
                "write 'format: 2' at the top of the file",
                key=True,
            )

    def accord_shape(self, index: int, accord: schema.AccordDef) -> _Shape:
        """An accord's signatories, issues and draft, checked."""
        report, path = self.report, ("accords", index)
        parties = self.tables.parties
        signatories: list[int] = []
        for s_index, name in enumerate(accord.signatories):
            where = (*path, "signatories", s_index)
            if name not in parties:
                report.at(where, f"unknown party '{name}'", did_you_mean(name, parties))
            elif parties.index(name) in signatories:
                report.at(where, f"party '{name}' signs twice", "list each signatory once")
            else:
                signatories.append(parties.index(name))
        count = len(accord.issues)
        if accord.issues or accord.draft:
            if not 2 <= count <= 3:
                hint = (
                    "at most three keep every package countable (27 at most)"
                    if count > 3
                    else "add another issue, or leave 'issues' out for one take-it-or-leave-it "
                    "package"
                )
                report.at((*path, "issues"), f"an accord has 2 or 3 issues, not {count}", hint)
            if len(accord.signatories) < 2:
                report.at(
                    (*path, "signatories" if accord.signatories else "issues"),
                    f"accord '{accord.id}' has issues, so it needs two or more signatories",
                    "list the parties that sign it under 'signatories:'",
                    key=True,
                )
        _unique(report, (*path, "issues"), [i.id for i in accord.issues], "issue")
        issues = []
        for i_index, issue in enumerate(accord.issues):
            where = (*path, "issues", i_index)
            if not 2 <= len(issue.options) <= 3:
                report.at(
                    (*where, "options"),
                    f"an issue has 2 or 3 options, not {len(issue.options)}",
                    "a fourth would make more packages than bargaining can weigh exactly"
                    if len(issue.options) > 3
                    else "an issue of one option is no choice: fold it into the accord's text",
                )
            _unique(report, (*where, "options"), [o.id for o in issue.options], "option")
            options = tuple(model.IssueOption(o.id, o.text, o.verifies) for o in issue.options)
            issues.append(model.Issue(issue.id, issue.name, options))
        ids = [issue.id for issue in accord.issues]
        for name, option in accord.draft.items():
            where = (*path, "draft", name)
            if name not in ids:
                report.at(where, f"unknown issue '{name}'", did_you_mean(name, ids), key=True)
                continue
            options = [o.id for o in accord.issues[ids.index(name)].options]
            if option not in options:
                report.at(
                    where, f"issue '{name}' has no option '{option}'", did_you_mean(option, options)
                )
        draft = []
        for issue in accord.issues:
            chosen = accord.draft.get(issue.id)
            options = [o.id for o in issue.options]
            if chosen is None:
                report.at(
                    (*path, "draft") if accord.draft else (*path, "issues"),
                    f"the starting draft gives no option for issue '{issue.id}'",
                    f"add '{issue.id}: {options[0] if options else '...'}' under 'draft:'",
                    key=True,
                )
            draft.append(options.index(chosen) if chosen in options else 0)
        return _Shape(accord.id, tuple(signatories), tuple(issues), tuple(draft))

    def interests(
        self,
        entries: Sequence[schema.InterestDef | schema.AgendaValuesDef],
        path: Path,
        shapes: Sequence[_Shape],
        party: int | None,
    ) -> tuple[model.Interest | None, ...]:
        """A party's (or an envoy's, with party None) interest per accord, checked."""
        if not any(shape.issues for shape in shapes):
            return ()
        report, accords = self.report, self.tables.accords
        result: list[model.Interest | None] = [None] * len(shapes)
        seen: set[int] = set()
        for e_index, entry in enumerate(entries):
            where = (*path, "interests", e_index)
            if entry.accord not in accords:
                hint = did_you_mean(entry.accord, accords)
                report.at((*where, "accord"), f"unknown accord '{entry.accord}'", hint)
                continue
            a_index = accords.index(entry.accord)
            shape = shapes[a_index]
            if a_index in seen:
                report.at(
                    (*where, "accord"),
                    f"the interests in '{entry.accord}' are given twice",
                    "give each accord's interests once",
                )
                continue
            seen.add(a_index)
            if not shape.issues:
                report.at(
                    (*where, "accord"),
                    f"accord '{entry.accord}' has no issues, so there is nothing to value",
                    "give the accord issues, or remove these interests",
                )
                continue
            if party is not None and party not in shape.signatories:
                name = self.tables.parties[party]
                report.at(
                    (*where, "accord"),
                    f"'{name}' does not sign '{entry.accord}', so it has no interests in it",
                    f"add '{name}' to the accord's signatories, or remove these interests",
                )
                continue
            result[a_index] = self.interest(entry, where, shape, party)
        if party is not None:
            for a_index, shape in enumerate(shapes):
                if party in shape.signatories and shape.issues and a_index not in seen:
                    name = self.tables.parties[party]
                    report.at(
                        (*path, "id"),
                        f"'{name}' signs '{shape.id}' but declares no interests in it",
                        f"add '- accord: {shape.id}' under its 'interests:'",
                    )
        return tuple(result)

    def interest(
        self,
        entry: schema.InterestDef | schema.AgendaValuesDef,
        path: Path,
        shape: _Shape,
        party: int | None,
    ) -> model.Interest:
        report = self.report
        ids = [issue.id for issue in shape.issues]
        _unique(report, (*path, "issues"), [i.issue for i in entry.issues], "issue", "issue")
        given: dict[str, schema.IssueValuesDef] = {}
        for i_index, item in enumerate(entry.issues):
            where = (*path, "issues", i_index)
            if item.issue not in ids:
                hint = did_you_mean(item.issue, ids)
                report.at((*where, "issue"), f"unknown issue '{item.issue}'", hint)
                continue
            issue = shape.issues[ids.index(item.issue)]
            options = [o.id for o in issue.options]
            for name, (low, high) in item.values.items():
                if name not in options:
                    report.at(
                        (*where, "values", name),
                        f"issue '{issue.id}' has no option '{name}'",
                        did_you_mean(name, options),
                        key=True,
                    )
                elif party is None and low != high:
                    report.at(
                        (*where, "values", name),
                        "an envoy's values are exact: it knows its own mind",
                        "write one number; ranges are for a party's hidden type",
                    )
            missing = [o for o in options if o not in item.values]
            if missing:
                listed = ", ".join(f"'{o}'" for o in missing)
                report.at(
                    (*where, "values"),
                    f"no value for option{'s' if len(missing) > 1 else ''} {listed}",
                    f"give every option of '{issue.id}' a value",
                    key=True,
                )
            given.setdefault(issue.id, item)
        for issue_id in ids:
            if issue_id not in given:
                report.at(
                    (*path, "issues"),
                    f"no weight or values for issue '{issue_id}'",
                    f"add '- issue: {issue_id}' with its weight and values",
                    key=True,
                )
        weights = [given[i].weight if i in given else 0.0 for i in ids]
        total = sum(weights)
        if party is not None and given and total == 0:
            report.at(
                (*path, "issues"),
                "every weight is 0, so no draft could matter to this party",
                "give the issue it cares about most a weight above 0",
                key=True,
            )
        values = tuple(
            tuple(
                given[i].values.get(o.id, (0.0, 0.0)) if i in given else (0.0, 0.0)
                for o in issue.options
            )
            for i, issue in zip(ids, shape.issues, strict=True)
        )
        scaled = tuple(w / total if total else 0.0 for w in weights)
        if not isinstance(entry, schema.InterestDef):
            return model.Interest(scaled, values)
        scope = Scope({"self": PARTY})
        reservation = self.compile("number", entry.reservation, (*path, "reservation"), scope)
        return model.Interest(scaled, values, reservation, entry.offset)

    def compile_accords(self, shapes: Sequence[_Shape]) -> tuple[model.Accord, ...]:
        result = []
        scope = Scope()
        for index, accord in enumerate(self.d.accords):
            path = ("accords", index)
            requires = self.compile("bool", accord.requires, (*path, "requires"), scope)
            chance, _ = self.chance(accord.chance, (*path, "chance"), scope)
            effects = self.effects(accord.effects, (*path, "effects"), scope)
            needs = self.needs(requires, accord.requires, scope)
            shape = shapes[index]
            result.append(
                model.Accord(
                    accord.id,
                    accord.name,
                    accord.text,
                    requires,
                    chance,
                    effects,
                    needs,
                    shape.signatories,
                    shape.issues,
                    shape.draft,
                )
            )
        return tuple(result)

    def compile_moves(self, moves) -> tuple[model.Move, ...]:
        result = []
        for move, owner, path in moves:
            names = {"self": SEAT}
            if move.target == "party":
                names["target"] = PARTY
            elif move.target == "accord":
                names["target"] = ACCORD
            elif move.target == "relation":
                names.update(a=PARTY, b=PARTY)
            scope = Scope(names)
            requires = self.compile("bool", move.requires, (*path, "requires"), scope, owner)
            chance, chance_text = self.chance(move.chance, (*path, "chance"), scope, owner)
            success = self.effects(move.success, (*path, "success"), scope, owner)
            failure = self.effects(move.failure, (*path, "failure"), scope, owner)
            delayed = []
            for d_index, item in enumerate(move.delayed):
                where = (*path, "delayed", d_index, "effects")
                effects = self.effects(item.effects, where, scope, owner)
                delayed.append(
                    model.Delayed(item.after or 0, item.each_turn_for or 0, effects, item.text)
                )
            file, line, _ = self._position(owner, path)
            result.append(
                model.Move(
                    id=move.id,
                    family=move.family,
                    name=move.name,
                    text=move.text,
                    cost=move.cost,
                    target=move.target,
                    requires=requires,
                    chance=chance,
                    chance_text=chance_text,
                    success=success,
                    failure=failure,
                    delayed=tuple(delayed),
                    secret=move.visibility == "secret",
                    cooldown=move.cooldown,
                    joint_min=move.joint.min_envoys if move.joint else 0,
                    source=f"{file}:{line}",
                    needs=self.needs(requires, move.requires, scope),
                )
            )
        return tuple(result)

    def compile_events(self) -> tuple[model.Event, ...]:
        result = []
        news = Scope(allow_random=True)
        for index, event in enumerate(self.d.events):
            path = ("events", index)
            when = pool_when = None
            if event.when is not None:
                when = self.compile("bool", event.when, (*path, "when"), news)
            if event.pool is not None:
                pool_when = self.compile("bool", event.pool.when, (*path, "pool", "when"), news)
            effects = self.effects(event.effects, (*path, "effects"), Scope())
            decision = None
            if event.decision is not None:
                decision = self.compile_decision(event.decision, (*path, "decision"))
            once = event.once if event.once is not None else event.pool is None
            result.append(
                model.Event(
                    id=event.id,
                    title=event.title,
                    text=event.text,
                    at_turn=event.at_turn or 0,
                    when=when,
                    pool_weight=event.pool.weight if event.pool else 0.0,
                    pool_when=pool_when,
                    once=once,
                    cooldown=event.cooldown,
                    effects=effects,
                    decision=decision,
                    rare=event.rare,
                )
            )
        return tuple(result)

    def compile_decision(self, decision: schema.DecisionDef, path: Path) -> model.Decision:
        scope = Scope({"self": SEAT})
        options = []
        for index, option in enumerate(decision.options):
            where = (*path, "options", index)
            when = self.compile("bool", option.when, (*where, "when"), scope)
            effects = self.effects(option.effects, (*where, "effects"), scope)
            options.append(model.Option(option.id, option.text, when, effects))
        return model.Decision(
            _index(self.tables.envoys, decision.envoy), decision.prompt, tuple(options)
        )


_ACCORD_KEYS = ("signatories", "issues", "draft")


@attrs.frozen
class _Shape:
    """A checked accord's format-2 parts (empty for a format-1 accord)."""

    id: str
    signatories: tuple[int, ...]
    issues: tuple[model.Issue, ...]
    draft: tuple[int, ...]


def _index(ids: Sequence[str], name: str | None) -> int:
    """The index of a declared id; -1 for none (or an undeclared one, already reported)."""
    return ids.index(name) if name in ids else -1


# ---------------------------------------------------------------- validation


@attrs.frozen
class Validated:
    file: str
    diagnostics: tuple[Diagnostic, ...]
    kind: str  # "scenario" or "library"
    notes: tuple[Diagnostic, ...] = ()  # advice, not problems: printed, never counted


def validate_file(path: pathlib.Path) -> Validated:
    """Check one scenario or library file; every problem, errors and warnings."""
    file = display_name(path)
    if is_library_file(path):
        _, problems = load_library(path, file)
        return Validated(file, _sorted(problems), "library")
    result = load_scenario(path, file)
    note = format2_note(result)
    found = _sorted((*result.diagnostics, *bargaining_warnings(result)))
    return Validated(file, found, "scenario", (note,) if note else ())


def bargaining_warnings(result: LoadResult) -> list[Diagnostic]:
    """The bargaining warnings for each accord with issues, with the signing
    parties' expected values (the middle of each range) and their reservations as
    the first turn opens (after its news, on seed 0 where news is drawn): no zone
    of agreement, now or reachable; no conflict of interest; too little to gain
    from log-rolling.

    "Reachable" is judged at the corners of the meters a reservation may read:
    every relation's tension and trust, and every party's resolve and posture,
    each at the bottom or the top of the scale. A crisis whose deals only ripen
    (a reservation that falls with tension, say) is not warned about; one with no
    deal in any of those worlds is."""
    scenario = result.scenario
    if scenario is None or not any(accord.issues for accord in scenario.accords):
        return []
    from game.engine import bargain
    from game.engine.rules import new_game

    _, marks, _ = read_yaml_partial(result.source_bytes, scenario.source)
    report = _Report(scenario.source, marks)
    start, _ = new_game(scenario, 0)
    corners = _meter_corners(start)
    numbers = scenario.rules.bargaining
    for index, accord in enumerate(scenario.accords):
        if not accord.issues:
            continue
        path = ("accords", index, "issues")
        parties = [scenario.parties[p] for p in accord.signatories]
        sides = [bargain.expected(p.interests[index]) for p in parties]
        floors = None
        for world in (start, *corners):
            found = [bargain.reservation(scenario, world, p, index) for p in accord.signatories]
            if bargain.zone(accord, sides, found):
                floors = found
                break
        if floors is None:
            names = " and ".join(p.id for p in parties)
            report.warn(
                path,
                f"no zone of agreement: no package of '{accord.id}' beats the reservation "
                f"of every signatory ({names}), as the first turn opens or with the "
                "meters anywhere on their scale",
                "raise what a party gains somewhere, or lower a reservation",
                key=True,
            )
            continue
        agendas = [
            bargain.expected(interest)
            for envoy in range(len(scenario.envoys))
            if (interest := bargain.envoy_interest(scenario, envoy, index)) is not None
        ]
        if bargain.same_ranking(accord, [*sides, *agendas]):
            report.warn(
                path,
                f"no conflict of interest in '{accord.id}': every side ranks every package "
                "the same, so it is a puzzle, not a negotiation",
                "let the parties weigh the issues differently",
                key=True,
            )
        gains = bargain.log_rolling_gain(accord, sides, floors)
        threshold = numbers.log_rolling_min if numbers is not None else 0.0
        for party, gain in zip(parties, gains or (), strict=False):
            if gain < threshold:
                report.warn(
                    path,
                    f"log-rolling gains '{party.id}' {gain:.0%} of its range in "
                    f"'{accord.id}' (balanced deal against splitting the difference), "
                    f"below {threshold:.0%}",
                    "let the sides care most about different issues",
                    key=True,
                )
    return report.items


def _meter_corners(start: Any) -> list[Any]:
    """The worlds of :func:`bargaining_warnings`' "reachable": ``start`` with its
    tension, trust, resolve and posture each set wholly to the bottom or the top of
    the meters' scale (16 worlds)."""
    from game.engine.meters import SCALE

    names = ("tension", "trust", "resolve", "posture")
    worlds = []
    for ends in itertools.product(SCALE, repeat=len(names)):
        fields = {
            name: tuple(end for _ in getattr(start, name))
            for name, end in zip(names, ends, strict=True)
        }
        worlds.append(attrs.evolve(start, **fields))
    return worlds


def format2_note(result: LoadResult) -> Diagnostic | None:
    """For a format-1 crisis with accords, one line on what format 2 would add."""
    scenario = result.scenario
    if scenario is None or scenario.format >= 2 or not scenario.accords:
        return None
    return Diagnostic(
        scenario.source,
        1,
        1,
        f"format 2 would give its {len(scenario.accords)} accord"
        f"{'s' if len(scenario.accords) != 1 else ''} issues and a draft to bargain over, "
        "and its parties interests and reservations",
        "see 'Format 2: drafts and interests' in MODDING.md",
        Severity.NOTE,
    )


def yaml_files(folder: pathlib.Path) -> list[pathlib.Path]:
    """The YAML files in a folder and its subfolders, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def builtin_scenarios() -> list[pathlib.Path]:
    """The scenario files that ship with the game."""
    return [p for p in yaml_files(SCENARIO_DIR) if not is_library_file(p)]


def find_scenario(name: str) -> pathlib.Path | None:
    """A built-in scenario by id (its file name), or a path to a file."""
    candidate = pathlib.Path(name)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate if candidate.is_file() else None
    for path in builtin_scenarios():
        if path.stem == name:
            return path
    return None


def scenario_ids() -> list[str]:
    return [p.stem for p in builtin_scenarios()]
