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
import json
import pathlib
import sys
import textwrap
from collections.abc import Sequence
from typing import NoReturn

PROG = "envoy"
USAGE_ERROR = 2
# The AI policies --policy accepts: the keys of game.ai.agents.POLICIES (a test
# keeps them equal). Named here so that starting the game does not load the AI.
POLICY_NAMES = ("random", "greedy", "search")


class UsageError(Exception):
    """A bad command line: one line for the user, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line and exit 2, with a pointer to --help."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def version() -> str:
    import game
    from game.content.schema import FORMAT_VERSION

    return f"{PROG} {game.__version__} (scenario format {FORMAT_VERSION})"


SAVES_HELP = "the save folder (default: saves/ beside the game)"
MODS_HELP = "also offer the crises in this mods folder (may be repeated)"


class _Version(argparse.Action):
    """--version, worked out only when asked for: it loads the scenario format."""

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:
        print(version())
        parser.exit()


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Envoy, a turn-based crisis-diplomacy game.",
        epilog="Run 'envoy COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument(
        "--saves", dest="top_saves", type=pathlib.Path, metavar="DIR", help=SAVES_HELP
    )
    parser.add_argument(
        "--mods",
        dest="top_mods",
        type=pathlib.Path,
        action="append",
        default=[],
        metavar="DIR",
        help=MODS_HELP,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser(
        "play",
        help="open the game (the default)",
        description="Open the game window at the title screen, or straight into a saved game.",
    )
    play.add_argument("--saves", type=pathlib.Path, metavar="DIR", help=SAVES_HELP)
    play.add_argument("--load", type=pathlib.Path, metavar="FILE", help="open this saved game")
    play.add_argument(
        "--mods", type=pathlib.Path, action="append", default=[], metavar="DIR", help=MODS_HELP
    )

    demo = commands.add_parser(
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
    demo.add_argument(
        "--mods", type=pathlib.Path, action="append", default=[], metavar="DIR", help=MODS_HELP
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
    demo.add_argument("--saves", type=pathlib.Path, metavar="DIR", help=SAVES_HELP)
    demo.add_argument(
        "--text", action="store_true", help="narrate the game as text in the terminal instead"
    )
    demo.add_argument(
        "--policy",
        choices=POLICY_NAMES,
        default="greedy",
        help="how the AI envoys play in the text demo (default: %(default)s)",
    )

    validate = commands.add_parser(
        "validate",
        help="check scenario files",
        description="Check scenario and move library "
        "files, or every YAML file in folders, and print every problem as file:line:col.",
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH", type=pathlib.Path, help="a file or a folder"
    )

    simulate = commands.add_parser(
        "simulate",
        help="play many AI games to measure balance",
        description="Play complete AI-vs-AI games with each policy (random, greedy and "
        "search) and report the balance: outcomes, mean length, each move's share in won "
        "and lost games, dominant moves, how often each event fired, and the spread of "
        "the final meters.",
    )
    simulate.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="a built-in scenario id or a scenario file",
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
        choices=POLICY_NAMES,
        help="only this policy in every seat (default: each of random, greedy and search)",
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

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the scenario format",
        description="Print the JSON Schema of scenario files, for editors that autocomplete.",
    )
    schema.add_argument(
        "--library", action="store_true", help="print the schema of move library files instead"
    )

    new = commands.add_parser(
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

    docs = commands.add_parser(
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
    report = commands.add_parser(
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
    """A scenario by id or path (built-in, else from the mods folders: by default the
    user's), or a UsageError / printed diagnostics."""
    from game.content import loader
    from game.content.mods import find, mod_folders

    path = find(name, mod_folders() if mods is None else mods)
    if path is None:
        if name.endswith((".yaml", ".yml")):
            raise UsageError(f"no such file: {name}")
        known = ", ".join(loader.scenario_ids()) or "none"
        raise UsageError(f"unknown scenario '{name}' (built-in: {known})")
    result = loader.load_scenario(path)
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    return result.scenario


def cmd_validate(args: argparse.Namespace) -> int:
    from game.content import loader
    from game.content.folders import reused_ids

    files: list[pathlib.Path] = []
    for path in args.paths:
        if path.is_dir():
            found = loader.yaml_files(path)
            if not found:
                raise UsageError(f"no .yaml files in {path}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    errors = warnings = 0
    clashes = reused_ids([path for path in args.paths if path.is_dir()])
    for file in dict.fromkeys(files):
        checked = loader.validate_file(file)
        found = (*checked.diagnostics, *clashes.get(file.resolve(), ()))
        for diagnostic in sorted(found, key=lambda d: (d.file, d.line, d.col)):
            print(diagnostic)
            if diagnostic.is_error:
                errors += 1
            else:
                warnings += 1
    count = len(dict.fromkeys(files))
    summary = f"{_plural(count, 'file')} checked: {_plural(errors, 'error')}, "
    summary += _plural(warnings, "warning")
    print(summary + ("." if errors else " - ok."))
    return 1 if errors else 0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.ai import simulate as sim
    from game.content import loader
    from game.content.mods import find

    if args.all == (args.scenario is not None):
        raise UsageError("give one SCENARIO or --all")
    if args.write is not None and not args.markdown:
        raise UsageError("--write needs --markdown")
    names = loader.scenario_ids() if args.all else [args.scenario]
    policies = (args.policy,) if args.policy else sim.POLICIES
    folders = _mods(args)
    balances = []
    for name in names:
        scenario = _load(name, folders)
        if scenario is None:
            return 1
        path = find(name, folders)  # where worker processes read it again
        balances.append(
            sim.balance(
                scenario, args.games, args.seed, policies, args.jobs, path, args.search_games
            )
        )
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


def _mods(args: argparse.Namespace) -> list[pathlib.Path]:
    """The mods folders: --mods (before or after the command), then the user's."""
    from game.paths import mod_folders

    given = [*getattr(args, "top_mods", []), *getattr(args, "mods", [])]
    for folder in given:
        if not folder.is_dir():
            raise UsageError(f"no such mods folder: {folder}")
    return mod_folders(given)


def cmd_new_scenario(args: argparse.Namespace) -> int:
    from game.content import starter
    from game.content.mods import user_mods_dir

    folder = args.dir or user_mods_dir()
    try:
        path = starter.write_starter(args.name, folder)
    except starter.StarterError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        print(f"{PROG}: error: cannot write {folder}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Wrote {path}")
    print(f"Check it after each change: {PROG} validate {path}")
    if args.dir is None:
        print(f"It is in your mods folder, so '{PROG}' lists it among the crises.")
    else:
        print(f"Play it: {PROG} --mods {folder}")
    return 0


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
    if args.search_games and args.policy in (None, "search"):
        words += ["--search-games", str(args.search_games)]
    words += ["--seed", str(args.seed)]
    if args.policy:
        words += ["--policy", args.policy]
    words.append("--markdown")
    if args.write is not None:
        words += ["--write", args.write.name]
    return " ".join(words)


def _write_table(path: pathlib.Path, table: str) -> int:
    from game.ai.simulate import replace_between_markers
    from game.session.files import write_atomic

    try:
        document = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        updated = replace_between_markers(document, table)
    except ValueError as error:
        print(f"{PROG}: error: {path}: {error}", file=sys.stderr)
        return 1
    write_atomic(path, updated.encode("utf-8"))
    print(f"Wrote the balance table into {path}.")
    return 0


def _print_balance(entry: dict) -> None:
    print(f"{entry['title']} ({entry['scenario']}): {entry['games']} games, seed {entry['seed']}")
    for policy, report in entry["policies"].items():
        print()
        print(f"== policy {policy}: {_plural(report['games'], 'game')}")
        outcomes = report["outcomes"]
        print("  " + "   ".join(f"{o} {outcomes[o]:.1%}" for o in outcomes))
        print(f"  mean length {report['mean_turns']:.2f} turns")
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

    document = library_schema() if args.library else scenario_schema()
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


def _saves_folder(args: argparse.Namespace) -> pathlib.Path:
    from game.paths import PROJECT_DIR

    return args.saves or getattr(args, "top_saves", None) or PROJECT_DIR / "saves"


def cmd_play(args: argparse.Namespace) -> int:
    match = None
    if getattr(args, "load", None) is not None:
        from game.session.saves import SaveError, load_match

        try:
            match = load_match(args.load)
        except SaveError as error:
            print(f"{PROG}: error: {error}", file=sys.stderr)
            return 1
    from game.ui.main import run

    return run(_saves_folder(args), match=match, mods=_mods(args))


def cmd_demo(args: argparse.Namespace) -> int:
    if args.text:
        return cmd_text_demo(args)
    import os

    mods = _mods(args)
    if _load(args.scenario, mods) is None:  # its errors are printed
        return 1
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
    from game.ai.agents import make_agent
    from game.ai.play import agent_seed
    from game.engine.outcome import scores
    from game.engine.rules import apply, legal_actions, new_game
    from game.engine.view import player_view

    scenario = _load(args.scenario, _mods(args))
    if scenario is None:
        return 1
    print(f"== {scenario.title} ==")
    for paragraph in str(scenario.briefing).split("\n"):
        print(textwrap.fill(paragraph, 88) if paragraph.strip() else "")
    print()
    state, entries = new_game(scenario, args.seed)
    agents = {
        scenario.envoys[e].id: make_agent(args.policy, agent_seed(args.seed, e))
        for e in state.seats
    }
    _narrate(entries)
    while not state.is_over:
        seat = scenario.envoys[state.active_seat].id
        view = player_view(state, seat)
        action = agents[seat].choose(view, seat, legal_actions(view, seat))
        state, entries = apply(state, action)
        _narrate(entries)
    print()
    print(f"Outcome: {state.outcome} after {state.turn} turns.")
    for envoy, result in scores(state).items():
        met = ", ".join(o.id for o in result.objectives if o.met) or "no objectives"
        print(f"  {envoy}: {result.total:g} points ({met})")
    return 0


def _narrate(entries) -> None:
    for entry in entries:
        if entry.text.startswith("Turn "):
            print(f"\n-- {entry.text}")
        elif entry.text.startswith("Chose "):
            continue  # the resolution tells the story
        elif entry.is_change:
            print(f"     {entry.describe()}")
        else:
            print(textwrap.fill(entry.text, 88, initial_indent="   * ", subsequent_indent="     "))


def cmd_report(args: argparse.Namespace) -> int:
    from game.session.report import write_report
    from game.session.saves import SUFFIX, SaveError, load_match

    try:
        match = load_match(args.save)
    except SaveError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    name = args.save.name.removesuffix(SUFFIX)
    folder = args.out or args.save.parent / f"{name}-report"
    try:
        paths = write_report(match, folder)
    except OSError as error:
        print(
            f"{PROG}: error: could not write to {folder}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    for path in paths:
        print(path)
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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:  # no command: play
            top, mods = args.top_saves, args.top_mods
            args = parser.parse_args(["play"])
            args.top_saves, args.top_mods = top, mods
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `envoy schema | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
