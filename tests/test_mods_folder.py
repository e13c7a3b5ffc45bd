"""A mods folder is read without trusting it: links, loops, devices, pipes and
unreadable entries are followed or skipped with a warning, never a crash or a hang,
and every crisis is named from its mods folder, never by an absolute path."""

from __future__ import annotations

import os
import pathlib

import pytest

from game.content import mods, starter
from game.paths import PROJECT_DIR

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def crisis(folder: pathlib.Path, name: str, scenario_id: str | None = None) -> pathlib.Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(starter.starter_text(scenario_id or name), "utf-8")
    return path


def skipped(folder: pathlib.Path) -> dict[str, str]:
    return {s.relative: s.why for s in mods.walk(folder).skipped}


def mod_rows(folder: pathlib.Path) -> list[mods.Listed]:
    return [e for e in mods.catalogue([folder]) if e.is_mod]


def test_a_link_to_a_crisis_elsewhere_is_listed_under_the_links_name(tmp_path):
    target = crisis(tmp_path / "elsewhere", "river", "linked_river")
    folder = tmp_path / "mods"
    (folder / "pack").mkdir(parents=True)
    (folder / "pack" / "river.yaml").symlink_to(target)
    [entry] = mod_rows(folder)
    assert entry.result.ok and entry.mod == "pack"
    assert entry.result.scenario.source == "pack/river.yaml"
    [checked] = mods.check([folder])
    assert (checked.file, checked.kind, checked.errors) == ("pack/river.yaml", "scenario", 0)
    assert mods.find("linked_river", [folder]) == folder / "pack" / "river.yaml"


def test_a_linked_mod_folder_is_read_like_a_folder(tmp_path):
    crisis(tmp_path / "checkout", "harbour")
    folder = tmp_path / "mods"
    folder.mkdir()
    (folder / "harbour_mod").symlink_to(tmp_path / "checkout", target_is_directory=True)
    [entry] = mod_rows(folder)
    assert entry.mod == "harbour_mod" and entry.result.ok
    assert skipped(folder) == {}


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda f: (f / "loop.yaml").symlink_to(f / "loop.yaml"), "loops back on itself"),
        (lambda f: (f / "gone.yaml").symlink_to(f / "missing.yaml"), "does not exist"),
        (lambda f: (f / "zero.yaml").symlink_to("/dev/zero"), "a link to a device"),
        (lambda f: os.mkfifo(f / "pipe.yaml"), "a pipe (FIFO), not a file"),
        (lambda f: (f / "folder.yaml").symlink_to(f.parent / "x", True), "does not exist"),
        (lambda f: (f / "up").symlink_to(f, target_is_directory=True), "already read"),
    ],
    ids=["link-loop", "dangling-link", "dev-zero", "fifo", "link-to-missing-folder", "dir-loop"],
)
def test_a_hostile_entry_is_skipped_with_a_warning_and_the_rest_still_loads(tmp_path, make, why):
    folder = tmp_path / "mods"
    crisis(folder, "good")
    make(folder)
    assert [e.result.ok for e in mod_rows(folder)] == [True]
    [(name, reason)] = skipped(folder).items()
    assert why in reason
    report = {c.file: c for c in mods.check([folder])}
    assert report["good.yaml"].errors == 0
    [note] = report[name].diagnostics
    assert not note.is_error and why in note.message and report[name].kind == "skipped"


def test_a_link_to_a_folder_named_like_a_crisis_is_read_as_a_folder(tmp_path):
    crisis(tmp_path / "real", "inner")
    folder = tmp_path / "mods"
    folder.mkdir()
    (folder / "odd.yaml").symlink_to(tmp_path / "real", target_is_directory=True)
    assert [e.result.scenario.source for e in mod_rows(folder)] == ["odd.yaml/inner.yaml"]


def test_an_unreadable_folder_is_a_warning(tmp_path, monkeypatch):
    folder = tmp_path / "mods"
    crisis(folder, "good")
    locked = folder / "locked"
    crisis(locked, "hidden_away")
    real_scandir = os.scandir

    def scandir(path):  # chmod 000 does not stop root, so the refusal is made here
        if pathlib.Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(mods.os, "scandir", scandir)
    assert [e.path.name for e in mod_rows(folder)] == ["good.yaml"]
    assert skipped(folder) == {"locked": "cannot read it: Permission denied"}


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_an_unreadable_file_and_folder_for_real(tmp_path):
    folder = tmp_path / "mods"
    crisis(folder, "good")
    crisis(folder / "locked", "inside")
    secret = crisis(folder, "secret")
    secret.chmod(0)
    (folder / "locked").chmod(0)
    try:
        report = {c.file: c for c in mods.check([folder])}
    finally:
        (folder / "locked").chmod(0o755)
    assert report["good.yaml"].errors == 0
    assert report["secret.yaml"].errors == 1
    assert "cannot read" in str(report["locked"].diagnostics[0])


def test_a_mods_folder_that_is_a_file_is_not_read(tmp_path, monkeypatch):
    plain = tmp_path / "mods"
    plain.write_text("not a folder", "utf-8")
    monkeypatch.setenv(mods.MODS_ENV, str(plain))
    assert mods.mod_folders() == []
    assert skipped(plain) == {".": "cannot read it: Not a directory"}


def test_hidden_files_are_not_read(tmp_path):
    folder = tmp_path / "mods"
    crisis(folder, "good")
    (folder / ".#good.yaml").write_text("half written", "utf-8")
    crisis(folder / ".git", "stash")
    assert [c.file for c in mods.check([folder])] == ["good.yaml"]


def test_a_deeply_nested_mods_folder_is_walked_without_recursion(tmp_path):
    folder = tmp_path / "mods"
    deep = folder
    for _ in range(60):
        deep = deep / "d"
    crisis(deep, "deep")
    assert len(mods.walk(folder).files) == 1


# ------------------------------------------------------------ names and ids


def test_names_are_never_absolute_paths_of_this_computer(tmp_path):
    folder = tmp_path / "mods"
    crisis(folder / "pack", "dam")
    names = [e.result.scenario.source for e in mods.catalogue([folder])]
    assert "scenarios/tutorial.yaml" in names and "pack/dam.yaml" in names
    assert not [n for n in names if pathlib.PurePath(n).is_absolute()]
    loose = crisis(tmp_path / "loose", "loose")
    assert mods.shown_name(loose) == "loose.yaml"
    assert mods.shown_name(PROJECT_DIR / "scenarios" / "tutorial.yaml") == "scenarios/tutorial.yaml"


def test_a_library_is_named_like_the_crisis_including_it(tmp_path):
    folder = tmp_path / "mods" / "harbour"
    folder.mkdir(parents=True)
    (folder / "harbour_moves.yaml").write_text(
        "format: 1\nlibrary: harbour_moves\nmoves:\n  - id: tour\n    family: cultural\n"
        "    name: Tour\n    text: A tour.\n    cost: 1\n    target: relation\n"
        '    success: ["trust(a, b) += 2"]\n',
        "utf-8",
    )
    text = starter.starter_text("harbour").replace(
        "difficulty: introductory", "includes: [standard, harbour_moves]\ndifficulty: introductory"
    )
    (folder / "harbour.yaml").write_text(text, "utf-8")
    [entry] = mod_rows(tmp_path / "mods")
    files = [file for _, file, _ in entry.result.library_bytes]
    assert files == ["game/content/library/standard.yaml", "harbour/harbour_moves.yaml"]


def test_a_crisis_is_found_by_its_id_whatever_its_file_is_called(tmp_path):
    folder = tmp_path / "mods"
    path = crisis(folder, "river", "river_dispute")
    assert mods.find("river_dispute", [folder]) == path
    assert mods.find("river", [folder]) is None
    assert mods.find("river.yaml", [folder]) == path  # a file name, from the mods folder
    assert mods.find("../mods/river.yaml", [folder / "sub"]) is None
    assert ("river_dispute", path) in mods.ids([folder])


def test_the_first_crisis_to_take_an_id_keeps_it(tmp_path):
    first = crisis(tmp_path / "a", "one", "shared_id")
    crisis(tmp_path / "b", "two", "shared_id")
    assert mods.find("shared_id", [tmp_path / "a", tmp_path / "b"]) == first
    assert mods.find("tutorial", [tmp_path / "a"]).parent.name == "scenarios"


def test_a_crisis_reached_twice_through_links_is_one_crisis(tmp_path):
    folder = tmp_path / "mods"
    crisis(folder, "river", "river_dispute")
    (folder / "again").symlink_to(folder)  # a link back up: the folder is read once
    (folder / "copy.yaml").symlink_to(folder / "river.yaml")  # the same file twice
    walked = mods.walk(folder)
    assert [p.name for p in walked.files] == ["copy.yaml"]
    assert skipped(folder)["river.yaml"] == "the same file as copy.yaml, reached through a link"
    assert [e.notes for e in mod_rows(folder)] == [()]  # no id clash of a file with itself


def test_validate_a_folder_reads_it_as_the_game_does_and_names_what_it_skips(
    tmp_path, monkeypatch, capsys
):
    from game.cli import main

    folder = tmp_path / "mods"
    crisis(folder, "river", "river_dispute")
    (folder / "copy.yaml").symlink_to(folder / "river.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    (folder / "up").symlink_to(tmp_path)
    os.mkfifo(folder / "pipe.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "mods"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "mods/dangling.yaml:1:1: warning: not read: a link to something that does not exist",
        "mods/loop.yaml:1:1: warning: not read: a link that loops back on itself",
        "mods/pipe.yaml:1:1: warning: not read: a pipe (FIFO), not a file",
        "mods/river.yaml:1:1: warning: not read: the same file as copy.yaml, reached through"
        " a link",
        "mods/up/mods:1:1: warning: not read: a link back to a folder already read",
        # A note is advice, counted nowhere: the mod is format 1.
        "mods/river.yaml:1:1: note: format 2 would give its 1 accord issues and a draft to "
        "bargain over, and its parties interests and reservations (see 'Format 2: drafts and "
        "interests' in MODDING.md)",
        "1 file checked: 0 errors, 5 warnings - ok.",
    ]
