"""The demo after ingest: run the storydesk commands a user would run on the sample story.

Each command is printed before its output, so the demo doubles as a tour of the CLI.
Usage: python examples/demo.py --db demo.db
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

STORYDESK = [str(Path(sys.executable).with_name("storydesk"))]


def run(args: list[str], *, capture: bool = False) -> str:
    shown = "storydesk " + " ".join(shlex.quote(a) for a in args)
    if not capture:
        print(f"\n$ {shown}", flush=True)
    result = subprocess.run(STORYDESK + args, text=True, capture_output=capture, check=False)
    if result.returncode not in (0, 3):
        print(f"(command failed with exit code {result.returncode})", file=sys.stderr)
        if capture:
            sys.stderr.write(result.stderr)
    return result.stdout if capture else ""


def has_command(name: str) -> bool:
    result = subprocess.run(STORYDESK + [name, "--help"], capture_output=True, text=True, check=False)
    return result.returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="demo.db")
    db = ["--db", ap.parse_args().db]

    stories = json.loads(run(["stories", "--json", *db], capture=True) or "[]")
    run(["stories", *db])
    if stories:
        top = max(stories, key=lambda s: len(s["article_ids"]))["id"]
        run(["story", top, *db])
        run(["quotes", "--story", top, *db])
        if has_command("compare"):
            run(["compare", top, *db])
    if has_command("check"):
        run(["check", "Putin and Trump spoke by phone on November 7", *db])
    return 0


if __name__ == "__main__":
    sys.exit(main())
