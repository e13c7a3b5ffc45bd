"""The ``envoy`` command line.

    envoy [play]               open the game (--saves DIR, --load FILE)
    envoy demo                 watch AI envoys play a crisis through the game's screens
    envoy validate PATH...     check scenario and library files; every problem at once
    envoy simulate SCENARIO    play many AI games and report the balance
    envoy schema               print the JSON Schema of the scenario format
    envoy new-scenario NAME    write a commented starter crisis to edit
    envoy docs                 the generated parts of MODDING.md (--write updates them)
    envoy report SAVE          write a saved game's debrief pack (HTML, CSV, JSON)

Exit codes: 0 success, 1 problems found (validate, simulate), 2 a usage error.
A bad argument gets one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import pathlib
import sys
import textwrap
from collections.abc import Sequence
from typing import NoReturn

from game.terminal import LIMIT, SafeStream, safe

PROG = "envoy"
USAGE_ERROR = 2
TABLE_FILE_MAX_BYTES = 4 * 1024 * 1024  # the Markdown file simulate --write updates
# The AI policies --policy accepts: the keys of game.ai.agents.POLICIES (a test
# keeps them equal). Named here so that starting the game does not load the AI.
POLICY_NAMES = ("random", "greedy", "search", "selfish")


class UsageError(Exception):
    """A bad command line: one line for the user, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line and exit 2, with a pointer to --help.

    Every argument declared ``type=pathlib.Path``, in every command, is read by
    :func:`_path`, so none of them takes an empty path for the current folder.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register("type", pathlib.Path, _path)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def version() -> str:
    import game
    from game.content.schema import FORMAT_VERSION

    return f"{PROG} {game.__version__} (scenario format {FORMAT_VERSION})"


SAVES_HELP = "the save folder (default: saves/ beside the game)"
MODS_HELP = "also offer the crises in this mods folder (may be repeated)"
LOAD_HELP = "open this saved game"


class _Version(argparse.Action):
    """--version, worked out only when asked for: it loads the scenario format."""

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:
        print(version())
        parser.exit()


def _path(text: str) -> pathlib.Path:
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty path names no file or folder; write . for this folder"
        )
    if "\0" in text:
        raise argparse.ArgumentTypeError("a path cannot hold a NUL character")
    return pathlib.Path(text)


def _cannot(doing: str, path: pathlib.Path, error: OSError) -> int:
    """Say in one line that a file could not be read or written; the exit code 1."""
    from game.files import describe

    print(f"{PROG}: error: cannot {doing} {safe(path)}: {describe(error)}", file=sys.stderr)
    return 1


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(f"{text} seconds is out of range (0 to 600)")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"{value} is out of range (1 to 1000000)")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"{value} is out of range (1 to 64)")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{value} is out of range (0 or more)")
    return value


def _folder_options(prefix: str) -> argparse.ArgumentParser:
    """--mods and --saves, which go before or after any command: the top-level parser
    keeps them as ``top_mods`` and ``top_saves``, and :func:`_merge` joins the two."""
    options = _Parser(add_help=False)
    options.add_argument(
        "--saves", dest=f"{prefix}saves", type=pathlib.Path, metavar="DIR", help=SAVES_HELP
    )
    options.add_argument(
        "--mods",
        dest=f"{prefix}mods",
        type=pathlib.Path,
        action="append",
        default=[],
        metavar="DIR",
        help=MODS_HELP,
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Envoy, a turn-based crisis-diplomacy game.",
        epilog="Run 'envoy COMMAND --help' for the options of a command.",
        parents=[_folder_options("top_")],
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument(
        "--load", dest="top_load", type=pathlib.Path, metavar="FILE", help=LOAD_HELP
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    folders = _folder_options("")

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[folders], **kwargs)

    play = command(
        "play",
        help="open the game (the default)",
        description="Open the game window at the title screen, or straight into a saved game.",
    )
    play.add_argument("--load", type=pathlib.Path, metavar="FILE", help=LOAD_HELP)

    demo = command(
        "demo",
        help="watch AI envoys play a crisis",
        description="Watch AI envoys play a "
        "whole crisis through the game's own screens, from the title to the debrief, then exit.",
    )
    demo.add_argument(
        "--scenario",
        default="border_incident",
        metavar="ID",
        help="a scenario id (built-in or from a mod) or a scenario file (default: %(default)s)",
    )
    demo.add_argument("--seed", type=_seed, default=1, help="the crisis seed (default: 1)")
    demo.add_argument(
        "--seconds-per-screen",
        type=_seconds,
        default=1.5,
        metavar="X",
        help="how long each screen and step stays up (default: %(default)s)",
    )
    demo.add_argument(
        "--screenshots", type=pathlib.Path, metavar="DIR", help="save a PNG of every screen here"
    )
    demo.add_argument(
        "--headless", action="store_true", help="no window: draw off screen (for tests and CI)"
    )
    demo.add_argument(
        "--text", action="store_true", help="narrate the game as text in the terminal instead"
    )
    demo.add_argument(
        "--policy",
        choices=POLICY_NAMES,
        default="greedy",
        help="how the AI envoys play in the text demo (default: %(default)s)",
    )

    validate = command(
        "validate",
        help="check scenario files",
        description="Check scenario and move library "
        "files, or every YAML file in folders, and print every problem as file:line:col.",
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", type=pathlib.Path, help="a file or a folder"
    )

    simulate = command(
        "simulate",
        help="play many AI games to measure balance",
        description="Play complete AI-vs-AI games with each policy (random, greedy and "
        "search) and report the balance: outcomes, mean length, each move's share in won "
        "and lost games, dominant moves, how often each event fired, the spread of "
        "the final meters, and each seat's mean score when one envoy plays another "
        "policy (--seat).",
    )
    simulate.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="a crisis id (built-in or from a mod) or a scenario file",
    )
    simulate.add_argument(
        "--all", action="store_true", help="every built-in scenario instead of one"
    )
    simulate.add_argument(
        "--games", type=_count, default=100, help="how many games per policy (default: 100)"
    )
    simulate.add_argument(
        "--search-games",
        type=_count,
        metavar="N",
        help="how many games the search policy plays instead (it is about 50 times slower)",
    )
    simulate.add_argument("--seed", type=_seed, default=1, help="the run's seed (default: 1)")
    simulate.add_argument(
        "--policy",
        metavar="P",
        help="only this policy in every seat: random, greedy, search, selfish, routine, "
        "easy, normal, hard, or a plug-in agent FILE.py:ClassName (default: each of "
        "random, greedy and search)",
    )
    simulate.add_argument(
        "--agent",
        metavar="FILE.py:ClassName",
        help="your own agent (a Python class; see MODDING.md) in every seat, as --policy "
        "FILE.py:ClassName; this runs that Python file",
    )
    simulate.add_argument(
        "--seat",
        action="append",
        default=[],
        metavar="ENVOY=P",
        help="play this envoy with policy P instead, against the others, or leave an "
        "optional envoy's seat empty with P = absent (may be repeated)",
    )
    simulate.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="play on N processes; the report is the same (default: 1)",
    )
    output = simulate.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the report as JSON")
    output.add_argument(
        "--markdown", action="store_true", help="print the balance table as Markdown"
    )
    simulate.add_argument(
        "--write",
        type=pathlib.Path,
        metavar="FILE",
        help="with --markdown: put the table into FILE between its "
        "<!-- balance:begin --> and <!-- balance:end --> markers",
    )

    schema = command(
        "schema",
        help="print the JSON Schema of the scenario format",
        description="Print the JSON Schema of scenario files, for editors that autocomplete.",
    )
    schema.add_argument(
        "--library", action="store_true", help="print the schema of move library files instead"
    )

    new = command(
        "new-scenario",
        help="write a commented starter crisis",
        description="Write NAME.yaml, a small commented crisis that validates and plays, "
        "to edit into your own. Never overwrites a file.",
    )
    new.add_argument("name", metavar="NAME", help="the crisis's id and file name, e.g. dam_crisis")
    new.add_argument(
        "--dir",
        type=pathlib.Path,
        metavar="DIR",
        help="where to write it (default: your mods folder, so the game lists it)",
    )

    docs = command(
        "docs",
        help="print or update the generated parts of MODDING.md",
        description="The modding reference generated from the code (every field, move and "
        "function) and the shipped JSON Schema files. Without options, print the reference.",
    )
    action = docs.add_mutually_exclusive_group()
    action.add_argument(
        "--write", action="store_true", help="update MODDING.md and the shipped schema files"
    )
    action.add_argument("--check", action="store_true", help="exit 1 if any of them is out of date")
    report = command(
        "report",
        help="write the debrief pack of a saved game",
        description="Write a saved game's debrief pack: report.html (printable, self-contained), "
        "meters.csv (tension and trust per turn and relation) and log.json (the whole ledger).",
    )
    report.add_argument("save", metavar="SAVE", type=pathlib.Path, help="a saved game")
    report.add_argument(
        "--out", type=pathlib.Path, metavar="DIR", help="where to write (default: beside the save)"
    )
    return parser


# ------------------------------------------------------------------ commands


def _load(name: str, mods: Sequence[pathlib.Path] | None = None):
    """A scenario by id or file (built-in, else from the mods folders: by default the
    user's), or a UsageError / printed diagnostics."""
    from game.content import loader
    from game.content.mods import find, mod_folders

    folders = mod_folders() if mods is None else mods
    path = find(name, folders)
    if path is None:
        raise UsageError(_not_found(name, folders))
    result = loader.load_scenario(path)
    for diagnostic in result.diagnostics:
        print(terminal_line(diagnostic), file=sys.stderr)
    return result.scenario


MOST_LISTED = 12  # mod crises named in an "unknown scenario" line; the rest are counted


def _not_found(name: str, folders: Sequence[pathlib.Path]) -> str:
    """Why a crisis was not found, with the ids that would be (built-in and mods)."""
    from game.content import loader
    from game.content.mods import SUFFIXES, ids

    if name.endswith(SUFFIXES):
        where = " or in a mods folder" if folders else ""
        return f"no such file: {safe(name)} (not in the current folder{where})"
    from game.content.diagnostics import did_you_mean

    builtin = loader.scenario_ids()
    found = ids(folders)
    mods = list(dict.fromkeys(safe(i, 60) for i, _ in found if i not in builtin))
    close = did_you_mean(name, [i for i, _ in found]) if len(name) <= 60 else ""
    text = f"unknown scenario '{safe(name)}'"
    if close.startswith("did you mean"):
        text += f", {safe(close)}"
    text += f" (built-in: {', '.join(builtin) or 'none'}"
    if mods:
        more = len(mods) - MOST_LISTED
        text += f"; from mods: {', '.join(mods[:MOST_LISTED])}"
        text += f", and {more} more" if more > 0 else ""
    for scenario_id, path in found:
        if path.stem == name and scenario_id != name:
            text += f"; {safe(path.name)} holds the crisis '{safe(scenario_id, 60)}'"
            break
    return text + ")"


def terminal_line(diagnostic) -> str:
    """A diagnostic as one safe terminal line: its file, message and hint escaped and cut."""
    text = f"{safe(diagnostic.file)}:{diagnostic.line}:{diagnostic.col}: "
    text += f"{diagnostic.severity.value}: {safe(diagnostic.message, 2 * LIMIT)}"
    return f"{text} ({safe(diagnostic.hint, LIMIT)})" if diagnostic.hint else text


def _fail(message: object) -> int:
    """An error that is not a usage error: one escaped line on stderr, exit 1."""
    print(f"{PROG}: error: {safe(message, 3 * LIMIT)}", file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    import attrs

    from game.content import loader
    from game.content.folders import reused_ids
    from game.content.mods import walk

    files: list[pathlib.Path] = []
    skipped: list[str] = []
    for path in args.paths:
        kind = _kind(path)
        if kind == "a folder":
            found = walk(path)  # as the game reads a mods folder: links, loops, pipes
            if not found.files and not found.skipped:
                raise UsageError(f"no .yaml files in {safe(path)}")
            files.extend(found.files)
            skipped.extend(
                f"{safe(item.path)}:1:1: warning: not read: {item.why}" for item in found.skipped
            )
        elif kind == "a regular file":
            files.append(path)
        else:
            raise UsageError(f"{path}: {kind}" if kind else f"no such file or folder: {path}")
    errors, warnings = 0, len(skipped)
    for line in skipped:
        print(line)
    clashes = reused_ids([path for path in args.paths if path.is_dir()])
    for file in dict.fromkeys(files):
        checked = loader.validate_file(file)
        for note in checked.notes:
            print(terminal_line(note))
        # The crisis list names a mod from its mods folder; here it is the path as typed.
        clash = (attrs.evolve(d, file=str(file)) for d in clashes.get(file.resolve(), ()))
        found = (*checked.diagnostics, *clash)
        for diagnostic in sorted(found, key=lambda d: (d.file, d.line, d.col)):
            print(terminal_line(diagnostic))
            if diagnostic.is_error:
                errors += 1
            else:
                warnings += 1
    count = len(dict.fromkeys(files))
    summary = f"{_plural(count, 'file')} checked: {_plural(errors, 'error')}, "
    summary += _plural(warnings, "warning")
    print(summary + ("." if errors else " - ok."))
    return 1 if errors else 0


def _kind(path: pathlib.Path) -> str:
    """What is at a path, looked at without opening it: "a regular file", "a folder",
    a sentence for anything else, or "" for nothing."""
    import os

    from game.files import describe, kind_of

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return ""
    except OSError as error:
        return f"cannot read it: {describe(error)}"
    kind = kind_of(info)
    return kind if kind in ("a regular file", "a folder") else f"it is {kind}, not a file or folder"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.ai import routine
    from game.ai import simulate as sim
    from game.ai.lineup import LineupError
    from game.ai.plugins import PluginError
    from game.content import loader
    from game.content.mods import find

    if args.all == (args.scenario is not None):
        raise UsageError("give one SCENARIO or --all")
    if args.write is not None and not args.markdown:
        raise UsageError("--write needs --markdown")
    names = loader.scenario_ids() if args.all else [args.scenario]
    try:
        lineups = _lineups(args)
    except PluginError as error:
        return _fail(str(error))
    folders = _mods(args)
    scenarios = []
    for name in names:
        scenario = _load(name, folders)
        if scenario is None:
            return 1
        try:
            for lineup in lineups:
                lineup.check(scenario)
        except LineupError as error:
            raise UsageError(str(error)) from None
        scenarios.append((name, scenario))
    balances = []
    for name, scenario in scenarios:
        if any(lineup.plays_routine() for lineup in lineups) and routine.needs_search(scenario):
            print(
                f"{PROG}: searching {safe(scenario.id)}'s routine among "
                f"{routine.SETTINGS.scripts} scripts (once: it is kept for next time) …",
                file=sys.stderr,
            )
        # Worker processes that cannot start as copies of this one read it again.
        load = functools.partial(_scenario_at, str(find(name, folders)))
        try:
            balances.append(
                sim.balance(
                    scenario, args.games, args.seed, lineups, args.jobs, load, args.search_games
                )
            )
        except PluginError as error:
            return _fail(str(error))
    if args.json:
        print(json.dumps(balances if args.all else balances[0], indent=2))
    elif args.markdown:
        table = sim.markdown_table(balances, _simulate_command(args))
        if args.write is not None:
            return _write_table(args.write, table)
        print(table, end="")
    else:
        for number, entry in enumerate(balances):
            if number:
                print()
            _print_balance(entry)
    return 0


def _lineups(args: argparse.Namespace) -> list:
    """Who plays which seat in each run: --policy (or --agent, or each of the default
    policies) in every seat, and each --seat's envoy with its own."""
    from game.ai import simulate as sim
    from game.ai.lineup import Lineup, LineupError, check_policy, parse_seat

    if args.agent is not None and args.policy is not None:
        raise UsageError("give --policy or --agent, not both (--agent F is --policy F)")
    chosen = args.agent or args.policy
    try:
        seats = [parse_seat(text) for text in args.seat]
        lineups = [Lineup.of(p, seats) for p in ((chosen,) if chosen else sim.POLICIES)]
        for policy in sorted({p for lineup in lineups for p in lineup.policies()}):
            check_policy(policy)
    except LineupError as error:
        raise UsageError(str(error)) from None
    return lineups


def _scenario_at(path: str):
    """The scenario compiled from one file, or None (how a simulation's workers build it)."""
    from game.content.loader import load_scenario

    return load_scenario(path).scenario


def _mods(args: argparse.Namespace) -> list[pathlib.Path]:
    """The mods folders: --mods (before or after the command), then the user's."""
    from game.paths import is_folder, mod_folders

    for folder in args.mods:
        if is_folder(folder):
            continue
        if os.path.lexists(folder):
            raise UsageError(f"--mods {safe(folder)}: not a folder")
        raise UsageError(f"no such mods folder: {safe(folder)}")
    return mod_folders(args.mods)


def _merge(args: argparse.Namespace) -> argparse.Namespace:
    """One value for each option given before or after the command.

    The --mods folders of both places are read, those before the command first; a
    --saves or --load after the command is the one that counts.
    """
    args.mods = [*args.top_mods, *args.mods]
    args.saves = args.saves or args.top_saves
    if args.top_load is not None:
        if args.command != "play":
            raise UsageError(f"--load opens a saved game: give it to '{PROG}' or '{PROG} play'")
        args.load = args.load or args.top_load
    return args


def cmd_new_scenario(args: argparse.Namespace) -> int:
    from game.content import starter
    from game.content.mods import user_mods_dir

    folder = args.dir or user_mods_dir()
    try:
        path = starter.write_starter(args.name, folder)
    except starter.StarterError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        return _cannot("write into", folder, error)
    mods = "" if args.dir is None else f" --mods {_shell(folder)}"
    print(f"Wrote {safe(path)}")
    print(f"Check it after each change: {PROG} validate {_shell(path)}")
    if args.dir is None:
        print(f"It is in your mods folder, so '{PROG}' lists it among the crises.")
    else:
        print(f"Play it: {PROG}{mods}")
    print(f"See if it is balanced: {PROG} simulate {args.name}{mods} --games 1000")
    return 0


def _shell(path: pathlib.Path) -> str:
    """A path as it is typed in the user's shell, so a printed command can be pasted."""
    import shlex

    text = safe(path)
    if os.name == "nt":
        return f'"{text}"' if " " in text else text
    return shlex.quote(text)


def cmd_docs(args: argparse.Namespace) -> int:
    from game.content import docs

    if args.write:
        for path in docs.write_all():
            print(f"updated {path}")
        return 0
    if args.check:
        stale = docs.stale_files()
        for path in stale:
            print(f"{path} is out of date (run '{PROG} docs --write')", file=sys.stderr)
        return 1 if stale else 0
    print(docs.reference())
    return 0


def _simulate_command(args: argparse.Namespace) -> str:
    """The command that reproduces a table (--jobs changes only how fast it runs)."""
    words = [PROG, "simulate", "--all" if args.all else args.scenario]
    words += ["--games", str(args.games)]
    chosen = args.agent or args.policy
    if args.search_games and (chosen in (None, "search", "hard") or args.seat):
        words += ["--search-games", str(args.search_games)]
    words += ["--seed", str(args.seed)]
    if chosen:
        words += ["--policy", chosen]
    for seat in args.seat:
        words += ["--seat", seat]
    words.append("--markdown")
    if args.write is not None:
        words += ["--write", args.write.name]
    return " ".join(words)


def _write_table(path: pathlib.Path, table: str) -> int:
    from game.ai.simulate import replace_between_markers
    from game.files import describe, read_regular, write_atomic

    try:
        document = read_regular(path, TABLE_FILE_MAX_BYTES).decode("utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {describe(error)}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: it is not UTF-8 text") from None
    try:
        updated = replace_between_markers(document, table)
    except ValueError as error:
        return _fail(f"{safe(path)}: {error}")
    try:
        write_atomic(path, updated.encode("utf-8"))
    except OSError as error:
        return _cannot("write", path, error)
    print(f"Wrote the balance table into {path}.")
    return 0


def _print_balance(entry: dict) -> None:
    from game.ai import simulate as sim

    title = f"{safe(entry['title'])} ({safe(entry['scenario'])})"
    print(f"{title}: {entry['games']} games, seed {entry['seed']}")
    for policy, report in entry["policies"].items():
        print()
        print(f"== policy {policy}: {_plural(report['games'], 'game')}")
        outcomes = report["outcomes"]
        print("  " + "   ".join(f"{o} {outcomes[o]:.1%}" for o in outcomes))
        print(f"  mean length {report['mean_turns']:.2f} turns")
        seats = sim.seat_line(report)
        if seats:
            print(f"  mean score by seat: {safe(seats)}")
        print()
        print("  move                    uses  per game  share  in won  in lost")
        ranked = sorted(report["moves"].items(), key=lambda kv: (-kv[1]["uses"], kv[0]))
        for move, data in ranked:
            print(
                f"  {move:<22} {data['uses']:5d}  {data['per_game']:8.2f}  "
                f"{data['share']:5.0%}  {data['share_won']:6.0%}  {data['share_lost']:7.0%}"
            )
        shares = ", ".join(f"{f} {share:.0%}" for f, share in report["families"].items())
        print(f"  families: {shares}")
        print()
        print("  event                      fired in")
        for event, rate in report["events"].items():
            rare = "  (rare on purpose)" if event in report["rare_on_purpose"] else ""
            print(f"  {event:<24} {rate:9.1%}{rare}")
        never = report["never_fired"]
        print(f"  events that never fired: {', '.join(never) if never else 'none'}")
        print()
        print("  final meters                      min   q1  median   q3  max")
        for relation, meters in report["meters"].items():
            for meter, values in meters.items():
                print(
                    f"  {relation + ' ' + meter:<32} {values['min']:4d} {values['q1']:4d} "
                    f"{values['median']:7d} {values['q3']:4d} {values['max']:4d}"
                )
        timing = report["timing"]
        print(
            f"  {timing['seconds']:.2f} s: {timing['games_per_second']} games/s, "
            f"{timing['actions_per_second']} actions/s"
        )
    print()
    if entry["warnings"]:
        print("Warnings:")
        for warning in entry["warnings"]:
            print(f"  - {warning}")
    else:
        print("No balance warnings.")


def cmd_schema(args: argparse.Namespace) -> int:
    from game.content.jsonschema import library_schema, scenario_schema
    from game.content.starter import schema_json

    document = library_schema() if args.library else scenario_schema()
    print(schema_json(document), end="")
    return 0


def _saves_folder(args: argparse.Namespace) -> pathlib.Path:
    from game.paths import PROJECT_DIR

    return args.saves or PROJECT_DIR / "saves"


def cmd_play(args: argparse.Namespace) -> int:
    match = None
    mods = _mods(args)
    if args.load is not None:
        from game.session.saves import SaveError, load_match

        try:
            match = load_match(args.load)
        except SaveError as error:
            return _fail(error)
    from game.ui.main import run

    return run(_saves_folder(args), match=match, mods=mods)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.text:
        return cmd_text_demo(args)
    import os

    mods = _mods(args)
    if _load(args.scenario, mods) is None:  # its errors are printed
        return 1
    if args.screenshots is not None:  # before the window opens, not at the first screen
        from game.files import make_folder

        try:
            make_folder(args.screenshots)
        except OSError as error:
            return _cannot("write screenshots into", args.screenshots, error)
    if args.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from game.content.mods import find
    from game.ui.app import DemoOptions
    from game.ui.main import run

    demo = DemoOptions(
        scenario=find(args.scenario, mods),
        seed=args.seed,
        seconds_per_screen=args.seconds_per_screen,
        screenshots=args.screenshots,
    )
    return run(_saves_folder(args), demo, mods=mods)


def cmd_text_demo(args: argparse.Namespace) -> int:
    from game.ai.play import agent_seed
    from game.ai.policies import make_agent
    from game.engine.outcome import scores
    from game.engine.rules import apply, legal_actions, new_game
    from game.engine.view import player_view

    scenario = _load(args.scenario, _mods(args))
    if scenario is None:
        return 1
    print(f"== {safe(scenario.title)} ==")
    for paragraph in str(scenario.briefing).split("\n"):
        print(textwrap.fill(paragraph, 88) if paragraph.strip() else "")
    print()
    state, entries = new_game(scenario, args.seed)
    agents = {
        scenario.envoys[e].id: make_agent(args.policy, agent_seed(args.seed, e))
        for e in state.turn_order
    }
    _narrate(scenario, entries)
    while not state.is_over:
        envoy_id = scenario.envoys[state.acting].id
        view = player_view(state, envoy_id)
        action = agents[envoy_id].choose(view, envoy_id, legal_actions(view, envoy_id))
        state, entries = apply(state, action)
        _narrate(scenario, entries)
    print()
    print(f"Outcome: {state.outcome} after {state.turn} turns.")
    for envoy, result in scores(state).items():
        met = ", ".join(o.id for o in result.objectives if o.met) or "no objectives"
        print(f"  {envoy}: {result.total:g} points ({met})")
    return 0


def _narrate(scenario, entries) -> None:
    from game.engine import ledger
    from game.session import narrate

    for entry in entries:
        if entry.note == ledger.CHOSE:
            continue  # the resolution tells the story
        words = narrate.describe(scenario, entry)
        if entry.note == ledger.TURN_BEGINS:
            print(f"\n-- {words}")
        elif entry.is_change:
            print(f"     {words}")
        else:
            print(textwrap.fill(words, 88, initial_indent="   * ", subsequent_indent="     "))


def cmd_report(args: argparse.Namespace) -> int:
    from game.session.report import write_report
    from game.session.saves import SUFFIX, SaveError, load_match

    try:
        match = load_match(args.save)
    except SaveError as error:
        return _fail(error)
    name = args.save.name.removesuffix(SUFFIX)
    folder = args.out or args.save.parent / f"{name}-report"
    try:
        paths = write_report(match, folder)
    except OSError as error:
        return _cannot("write the report into", folder, error)
    for path in paths:
        print(safe(path))
    return 0


COMMANDS = {
    "report": cmd_report,
    "play": cmd_play,
    "demo": cmd_demo,
    "validate": cmd_validate,
    "simulate": cmd_simulate,
    "schema": cmd_schema,
    "new-scenario": cmd_new_scenario,
    "docs": cmd_docs,
}


def main(argv: Sequence[str] | None = None) -> int:
    # Everything printed passes through SafeStream, so no text from a file or a save
    # can send the terminal a control sequence, whichever line prints it.
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        return _main(sys.argv[1:] if argv is None else list(argv))
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:  # no command: play, with the options given
            args = parser.parse_args([*argv, "play"])
        return COMMANDS[args.command](_merge(args))
    except UsageError as error:
        print(f"{PROG}: error: {safe(error, 3 * LIMIT)}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `envoy schema | head`
        sys.stderr.close()
        return 0
    except OSError as error:  # a file problem no command foresaw: still one line, not a traceback
        from game.files import describe

        where = f"{error.filename}: " if error.filename else ""
        print(f"{PROG}: error: {where}{describe(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
