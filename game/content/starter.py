"""``envoy new-scenario``: a commented starter crisis for a modder to make their own.

The starter (``starter.yaml`` beside this module) uses all four families,
validates without warnings and plays to the end; the tests hold it to that.
The scenario JSON Schema is written beside it when missing, so an editor that
reads the first line's modeline autocompletes the file.
"""

from __future__ import annotations

import json
import pathlib
import re
import string
from importlib import resources

from game.content.schema import ID_PATTERN, RESERVED_IDS
from game.files import write_atomic

SCHEMA_FILE = "scenario.schema.json"


class StarterError(ValueError):
    """A name or folder the starter cannot be written with; one line for the user."""


def check_name(name: str) -> None:
    if name.endswith((".yaml", ".yml")):
        raise StarterError(f"give the name without '.yaml': {pathlib.Path(name).stem}")
    if not ID_PATTERN.fullmatch(name) or name in RESERVED_IDS:
        raise StarterError(
            f"'{name}' cannot be a crisis id: use lower-case letters, digits and _, "
            "starting with a letter, at most 40 characters (for example dam_crisis)"
        )


def starter_text(name: str) -> str:
    """The starter crisis, with ``name`` as its id and file name."""
    template = resources.files("game.content").joinpath("starter.yaml").read_text("utf-8")
    title = name.replace("_", " ").strip().capitalize()
    return string.Template(template).substitute(
        id=name, title=title, file_name=f"{name}.yaml", schema_url=SCHEMA_FILE
    )


def write_starter(name: str, folder: pathlib.Path) -> pathlib.Path:
    """Write ``folder/name.yaml`` (and the schema beside it if missing); never overwrites."""
    check_name(name)
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"{folder} is a file, not a folder")
    path = folder / f"{name}.yaml"
    if path.exists():
        raise StarterError(f"{path} already exists; choose another name or remove it first")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(path, starter_text(name).encode("utf-8"))
    schema_path = folder / SCHEMA_FILE
    if not schema_path.exists():
        from game.content.jsonschema import scenario_schema

        write_atomic(schema_path, schema_json(scenario_schema()).encode("utf-8"))
    return path


# Characters that print as nothing or reorder a line (the schema's own list of refused
# characters holds them): written as \u escapes, so the file and the terminal show them.
_INVISIBLE = re.compile(
    "[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufdd0-\ufdef\ufeff\ufff0-\uffff]"
)


def schema_json(document: dict) -> str:
    """A schema document as the shipped files hold it: readable text, nothing invisible."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _INVISIBLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text) + "\n"
