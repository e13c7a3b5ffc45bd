"""The generated parts of MODDING.md, and the shipped JSON Schema files.

MODDING.md is written by hand around sections that are generated from the
code: every field (from the attrs classes of :mod:`game.content.schema` and
their ``metadata["doc"]``), every move of the standard library (from its YAML),
and every function of the expression language (from
:data:`game.engine.expr.FUNCTIONS`). Each generated section sits between
``<!-- generated:NAME:begin -->`` and ``<!-- generated:NAME:end -->``;
``envoy docs --write`` rewrites them, and a test fails when they differ from
what this module produces. The balance table (``<!-- balance:... -->``) belongs
to ``envoy simulate`` and is left alone here.
"""

from __future__ import annotations

import pathlib
import re
import types
import typing
from collections.abc import Callable

import attrs

from game.content import schema
from game.content.jsonschema import library_schema, scenario_schema
from game.content.starter import schema_json
from game.engine import expr
from game.paths import PROJECT_DIR, SCENARIO_DIR

MODDING = PROJECT_DIR / "MODDING.md"
SCHEMA_FILES = {
    SCENARIO_DIR / "scenario.schema.json": scenario_schema,
    SCENARIO_DIR / "library.schema.json": library_schema,
}

# -------------------------------------------------------------------- fields

_TYPE_WORDS: dict[typing.Any, str] = {
    str: "text (plain)",
    int: "whole number",
    float: "number",
    bool: "true or false",
    schema.Id: "id",
    schema.Meter: "meter (0..100)",
    schema.Count: "whole number, 0 or more",
    schema.Weight: "weight (0 or more)",
    schema.Fraction: "number, 0..1",
    schema.Color: "colour (#rrggbb)",
    schema.Expression: "[expression](#the-expression-language)",
    schema.Statement: "[effect](#the-expression-language)",
    schema.Chance: "chance: number 0..1 or formula",
    schema.Number: "number",
    schema.Integer: "whole number",
    schema.Text: "text",
    schema.Value: "value: number -10..+10, or [low, high]",
}

#: The order the field reference lists the classes in: the file from the top down.
FIELD_CLASSES = (
    schema.ScenarioDef,
    schema.TeacherDef,
    schema.PlayersDef,
    schema.PartyDef,
    schema.InterestDef,
    schema.IssueValuesDef,
    schema.FactDef,
    schema.BehaviourDef,
    schema.RelationDef,
    schema.EnvoyDef,
    schema.ObjectiveDef,
    schema.AgendaValuesDef,
    schema.AccordDef,
    schema.IssueDef,
    schema.IssueOptionDef,
    schema.MoveDef,
    schema.DelayedDef,
    schema.JointDef,
    schema.EventDef,
    schema.PoolDef,
    schema.DecisionDef,
    schema.OptionDef,
    schema.RulesDef,
    schema.ScoringDef,
    schema.BargainingDef,
    schema.AcceptanceDef,
    schema.LibraryDef,
    schema.FamilyDef,
)

_TITLES = {
    schema.ScenarioDef: "The scenario file (top level)",
    schema.LibraryDef: "A move library file (top level)",
}


def _anchor(cls: type) -> str:
    return cls.__name__.removesuffix("Def").lower()


def _type_words(type_: typing.Any) -> str:
    if type_ in _TYPE_WORDS:
        return _TYPE_WORDS[type_]
    origin, args = typing.get_origin(type_), typing.get_args(type_)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_words(a) for a in args if a is not type(None))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list of {_type_words(args[0])}"
        return "[" + ", ".join(_type_words(a) for a in args) + "]"
    if origin is dict:
        return f"mapping of id to {_type_words(args[1])}"
    if attrs.has(type_):
        return f"[{type_.__name__.removesuffix('Def').lower()}](#{_anchor(type_)})"
    raise TypeError(f"no words for {type_!r}")  # pragma: no cover


def _bound_words(words: str, metadata: typing.Mapping[str, typing.Any]) -> str:
    """The type words with the field's own bounds, which replace its type's."""
    low, high, items, most = (
        metadata.get(k) for k in ("minimum", "maximum", "min_items", "max_items")
    )
    if low is not None or high is not None:
        words = words.replace(", 0 or more", "")
    if low is not None:
        words += f", {low} or more"
    if high is not None:
        words += f", {high} or less"
    if items is not None:
        words += f", at least {items}"
    if most is not None:
        words += f", at most {most}"
    return words


def _default_words(field: attrs.Attribute, standard_rules: schema.RulesDef | None) -> str:
    if standard_rules is not None:
        value = getattr(standard_rules, field.name)
        if isinstance(value, schema.ScoringDef | schema.BargainingDef):
            return "see the standard library"
        if isinstance(value, tuple):
            return "`[" + ", ".join(map(str, value)) + "]`"
        return f"`{value}`" if value is not None else ""
    if field.default is attrs.NOTHING:
        return "**required**"
    default = field.default
    if isinstance(default, attrs.Factory) or default in ((), None):
        return "optional"
    if isinstance(default, tuple):
        return "`[" + ", ".join(map(str, default)) + "]`"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    return f"`{default}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fields_section() -> str:
    standard = _standard_library()
    out = [
        "Every key a scenario or library file may hold. *Text* is a string, or a mapping of",
        "language codes to strings (`{en: ..., km: ...}`; `en` is required). Keys not listed",
        "here are refused, so a typo is reported instead of being silently ignored.",
        "",
    ]
    for cls in FIELD_CLASSES:
        name = cls.__name__.removesuffix("Def").lower()
        out.append(f"### {_TITLES.get(cls, f'`{name}`')}")
        out.append(f'<a id="{_anchor(cls)}"></a>')
        out.append("")
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            out += [" ".join(cls.__doc__.split()), ""]
        rules = standard.rules if cls is schema.RulesDef else None
        default_title = "standard library value" if rules is not None else "default"
        out += [f"| key | type | {default_title} | what it is |", "|---|---|---|---|"]
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            key = schema.YAML_NAMES.get((cls, field.name), field.name)
            words = _type_words(hints[field.name]) if key != "format" else "`1` or `2`"
            words = _bound_words(words, field.metadata)
            default = _default_words(field, rules)
            doc = field.metadata.get("doc", "")
            out.append(f"| `{key}` | {_cell(words)} | {default} | {_cell(doc)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------- moves


def _standard_library() -> schema.LibraryDef:
    from game.content.loader import LIBRARY_DIR, load_library

    library, problems = load_library(LIBRARY_DIR / "standard.yaml", "standard.yaml")
    if library is None:  # pragma: no cover - the library's own tests catch this
        raise RuntimeError("the standard library has errors:\n" + "\n".join(map(str, problems)))
    return library.definition


def _code_list(items: typing.Iterable[str]) -> str:
    return "; ".join(f"`{item}`" for item in items)


def moves_section() -> str:
    library = _standard_library()
    out = [
        "The moves every scenario gets from `includes: [standard]`. A scenario may leave",
        "one out (`disable_moves: [embargo]`), replace one (a move with the same id and",
        "`override: true`) or add its own under `moves:`. In a move, `self` is the envoy",
        "making it; `target` is the party or accord it aims at; `a` and `b` are the two",
        "parties of a relation.",
        "",
    ]
    for family in library.families:
        out += [f"### {family.name} (`{family.id}`)", "", str(family.text), ""]
        for move in (m for m in library.moves if m.family == family.id):
            chance = move.chance if isinstance(move.chance, str) else f"{move.chance:g}"
            facts = [
                f"cost {move.cost}",
                f"target: {move.target}",
                f"chance: `{chance}`",
                move.visibility,
            ]
            if move.cooldown:
                facts.append(f"cooldown {move.cooldown}")
            if move.joint:
                facts.append(f"joint: at least {move.joint.min_envoys} envoys")
            out += [f"#### `{move.id}`: {move.name}", "", " ".join(str(move.text).split()), ""]
            out.append(f"- {', '.join(facts)}")
            if move.requires != "true":
                out.append(f"- requires: `{move.requires}`")
            if move.success:
                out.append(f"- on success: {_code_list(move.success)}")
            if move.failure:
                out.append(f"- on failure: {_code_list(move.failure)}")
            for delayed in move.delayed:
                when = (
                    f"in {delayed.after} turns"
                    if delayed.after is not None
                    else f"each turn for {delayed.each_turn_for} turns"
                )
                out.append(f"- later, {when}: {_code_list(delayed.effects)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# ----------------------------------------------------------------- functions


def _signature(fn: expr.Function) -> str:
    params = [expr.KIND_WORDS.get(p, p).replace(" ", "_") for p in fn.params]
    if fn.variadic:
        params.append("…")
    return f"{fn.name}({', '.join(params)})"


def functions_section() -> str:
    groups: list[tuple[str, str, Callable[[expr.Function], bool]]] = [
        (
            "Meters",
            "Read them in conditions; change them in effects with `+=`, `-=` or `=`.",
            lambda f: f.meter,
        ),
        ("Readings", "Read-only values for conditions and formulas.", lambda f: not f.action),
        ("Actions", "Effects on their own, written as a statement.", lambda f: f.action),
    ]
    out = [
        "Conditions (`when`, `requires`, `peace`), formulas (`chance`) and effects are",
        "written in a small language: numbers, `true`/`false`, comparisons",
        "(`< <= > >= == !=`), `and`/`or`/`not`, `+ - * /`, parentheses, the functions",
        "below and the ids the scenario declares. In an effect's target, `all` stands for",
        "every party (or envoy): `tension(target, all) -= 2`.",
        "",
    ]
    seen: set[str] = set()
    for title, blurb, wanted in groups:
        out += [f"### {title}", "", blurb, ""]
        out += ["| function | gives | what it does | example |", "|---|---|---|---|"]
        for fn in expr.FUNCTIONS.values():
            if fn.name in seen or not wanted(fn):
                continue
            seen.add(fn.name)
            gives = {"number": "number", "bool": "true/false"}[fn.returns]
            if fn.action:
                gives = "(an effect)"
            out.append(
                f"| `{_signature(fn)}` | {gives} | {_cell(fn.doc)} | `{_cell(fn.example)}` |"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------- the file

SECTIONS: dict[str, Callable[[], str]] = {
    "fields": fields_section,
    "moves": moves_section,
    "functions": functions_section,
}


def _marker(name: str, end: str) -> str:
    return f"<!-- generated:{name}:{end} -->"


def _pattern(name: str) -> re.Pattern[str]:
    begin, end = re.escape(_marker(name, "begin")), re.escape(_marker(name, "end"))
    return re.compile(f"{begin}\n.*?{end}", re.DOTALL)


def reference() -> str:
    """Every generated section, one after the other."""
    return "\n".join(make() for make in SECTIONS.values())


def updated_modding(text: str) -> str:
    """MODDING.md's text with every generated section rewritten; the rest is kept."""
    for name, make in SECTIONS.items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise ValueError(f"MODDING.md has no {_marker(name, 'begin')} … end section")
        block = f"{_marker(name, 'begin')}\n{make()}{_marker(name, 'end')}"
        text = pattern.sub(lambda _, block=block: block, text, count=1)
    return text


def _wanted() -> dict[pathlib.Path, str]:
    files = {path: schema_json(make()) for path, make in SCHEMA_FILES.items()}
    files[MODDING] = updated_modding(MODDING.read_text("utf-8"))
    return files


def stale_files() -> list[pathlib.Path]:
    """The generated files that differ from what the code produces now."""
    stale = []
    for path, text in _wanted().items():
        current = path.read_text("utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
    return stale


def write_all() -> list[pathlib.Path]:
    """Rewrite the stale generated files; returns the ones written."""
    from game.files import write_atomic

    written = []
    for path in stale_files():
        write_atomic(path, _wanted()[path].encode("utf-8"))
        written.append(path)
    return written
