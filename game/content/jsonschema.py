"""The JSON Schema of the scenario format, generated from the attrs classes.

Editors that speak JSON Schema (VS Code with the YAML extension, for one) use it
to autocomplete keys and flag mistakes as a modder types. It is built from the
same classes and field docs the loader uses, so it cannot drift from the code.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from game.content import schema
from game.content.schema import (
    COLOR_PATTERN,
    EXACTLY_ONE,
    FORMAT_VERSION,
    FORMATS,
    ID_PATTERN,
    LANG_PATTERN,
    METER_MAX,
    METER_MIN,
    RESERVED_IDS,
    RESERVED_MOVE_IDS,
    VALUE_MAX,
    VALUE_MIN,
    YAML_NAMES,
)

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

_ID = {
    "type": "string",
    "pattern": f"^{ID_PATTERN.pattern}$",
    "not": {"enum": sorted(RESERVED_IDS)},
}
# Text with none of the characters the reader refuses (game.content.yamlsafe), so an
# editor flags them as they are typed. Lone surrogates and the noncharacters past
# U+FFFF are left to the reader: a JSON Schema pattern cannot name them portably.
_SHOWABLE = {
    "pattern": "^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]*$"
}
_STRING = {"type": "string", **_SHOWABLE}
_OUTCOMES = ["peace", "stalemate", "conflict"]
# Constraints of single fields that their type does not carry.
_FIELD_EXTRA: dict[tuple[type, str], dict[str, Any]] = {
    (schema.MoveDef, "id"): {"not": {"enum": sorted(RESERVED_IDS | RESERVED_MOVE_IDS)}},
    (schema.ScoringDef, "shared"): {"required": _OUTCOMES, "propertyNames": {"enum": _OUTCOMES}},
    (schema.ScoringDef, "multiplier"): {
        "required": _OUTCOMES,
        "propertyNames": {"enum": _OUTCOMES},
    },
}
_SIMPLE: dict[Any, dict[str, Any]] = {
    str: _STRING,
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    schema.Id: _ID,
    schema.Meter: {"type": "integer", "minimum": METER_MIN, "maximum": METER_MAX},
    schema.Count: {"type": "integer", "minimum": 0},
    schema.Weight: {"type": "number", "minimum": 0},
    schema.Fraction: {"type": "number", "minimum": 0, "maximum": 1},
    schema.Color: {"type": "string", "pattern": f"^{COLOR_PATTERN.pattern}$"},
    schema.Expression: {
        "type": ["string", "boolean"],
        **_SHOWABLE,
        "description": "An expression.",
    },
    schema.Statement: {**_STRING, "description": "An effect statement."},
    schema.Chance: {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": 1},
            {**_STRING, "description": "An expression giving a number 0..1."},
        ]
    },
    schema.Number: {"type": "number"},
    schema.Value: {
        "oneOf": [
            {"type": "number", "minimum": VALUE_MIN, "maximum": VALUE_MAX},
            {
                "type": "array",
                "description": "[low, high]: drawn per game within the range.",
                "items": {"type": "number", "minimum": VALUE_MIN, "maximum": VALUE_MAX},
                "minItems": 2,
                "maxItems": 2,
            },
        ]
    },
    schema.Integer: {"type": "integer"},
    schema.Text: {
        "oneOf": [
            _STRING,
            {
                "type": "object",
                "description": "Translations: a language code to text; 'en' is required.",
                "propertyNames": {"pattern": f"^{LANG_PATTERN.pattern}$"},
                "additionalProperties": _STRING,
                "required": ["en"],
                "minProperties": 1,
            },
        ]
    },
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def type(self, type_: Any) -> dict[str, Any]:
        if type_ is schema.Text:
            self.defs["Text"] = _SIMPLE[type_]
            return {"$ref": "#/$defs/Text"}
        if type_ in _SIMPLE:
            return dict(_SIMPLE[type_])
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if origin is typing.Literal:
            return {"enum": list(args)}
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            inner = (
                self.type(options[0])
                if len(options) == 1
                else {"anyOf": [self.type(a) for a in options]}
            )
            return {"anyOf": [inner, {"type": "null"}]}
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return {"type": "array", "items": self.type(args[0])}
            return {
                "type": "array",
                "prefixItems": [self.type(a) for a in args],
                "minItems": len(args),
                "maxItems": len(args),
            }
        if origin is dict:
            return {
                "type": "object",
                "propertyNames": {"pattern": _ID["pattern"]},
                "additionalProperties": self.type(args[1]),
            }
        if attrs.has(type_):
            return self.ref(type_)
        raise TypeError(f"no JSON Schema for {type_!r}")  # pragma: no cover

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__.removesuffix("Def")
        if name not in self.defs:
            self.defs[name] = {}  # reserve the name first: classes may nest
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required = []
        for field in attrs.fields(cls):
            key = YAML_NAMES.get((cls, field.name), field.name)
            prop = self.type(hints[field.name])
            if field.name == "format":
                prop = {"enum": list(FORMATS)}
            prop = _constrained(prop, {**field.metadata, **_FIELD_EXTRA.get((cls, field.name), {})})
            doc = field.metadata.get("doc")
            if doc:
                prop = {**prop, "description": doc}
            if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory):
                default = field.default
                if isinstance(default, tuple):
                    default = list(default)
                prop["default"] = default
            properties[key] = prop
            if field.default is attrs.NOTHING:
                required.append(key)
        result: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            result["description"] = " ".join(cls.__doc__.split())
        if required:
            result["required"] = required
        if cls in EXACTLY_ONE:
            # Exactly one alternative matches: exactly one of the keys is given and not null.
            keys = [YAML_NAMES.get((cls, name), name) for name in EXACTLY_ONE[cls]]
            result["oneOf"] = [
                {"required": [key], "properties": {key: {"not": {"type": "null"}}}} for key in keys
            ]
        return result


_KEYWORDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "min_items": "minItems",
    "max_items": "maxItems",
}


def _constrained(prop: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    """A field's schema with its own bounds (on the value, not on the null of an optional)."""
    extra = {_KEYWORDS.get(key, key): value for key, value in metadata.items() if key != "doc"}
    if not extra:
        return prop
    if "anyOf" in prop and prop["anyOf"][-1] == {"type": "null"}:
        inner, null = prop["anyOf"]
        return {**prop, "anyOf": [{**inner, **extra}, null]}
    return {**prop, **extra}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file."""
    return _document(schema.ScenarioDef, "scenario", "Envoy scenario")


def library_schema() -> dict[str, Any]:
    """The JSON Schema of a move library file."""
    return _document(schema.LibraryDef, "library", "Envoy move library")


def _document(cls: type, name: str, title: str) -> dict[str, Any]:
    builder = _Builder()
    root = builder.object(cls)
    return {
        "$schema": SCHEMA_URI,
        "$id": f"https://envoy.game/schema/{name}-{FORMAT_VERSION}.json",
        "title": f"{title} (format {FORMAT_VERSION})",
        **root,
        "$defs": dict(sorted(builder.defs.items())),
    }
