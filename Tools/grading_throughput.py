#!/usr/bin/env python3
"""Measures `book grade` on a class of 30 mixed submissions over all nine chapters (issue 12).

The class is made from Solutions/ and the stubs in Exercises/:
  - 10 full submissions: every chapter's solution (each with its own comment, so every
    student's files differ and are rebuilt);
  - 10 partial ones: the solutions of 3 to 6 chapters, the others missing (graded as stubs);
  - 10 broken ones: full, with one chapter that does not compile, one exercise that traps,
    one that loops for ever, or one wrong answer (an early `return` of a wrong value is not
    attempted here: a trap, a hang and a compile error cover the grader's slow paths).

It runs `book grade` twice on the same --work folder: first from nothing (the sandbox's first
build), then again (everything built). The second run's time per student is the cost of one
more student. Run it from anywhere, with the book tool built (`swift build`):

    Tools/grading_throughput.py                 # a fresh work folder under /tmp
    Tools/grading_throughput.py --timeout 20    # the --timeout given to book grade

Not run by CI: speed is measured, never asserted. It prints the lines `book grade` prints
about time, and the load average (other work on the machine shows there).
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

BOOK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def solutions():
    """{chapter: {file name: text}} of Solutions/."""
    result = {}
    for chapter in range(1, 10):
        folder = os.path.join(BOOK, "Solutions", f"Chapter{chapter}")
        result[chapter] = {name: open(os.path.join(folder, name), encoding="utf-8").read()
                           for name in sorted(os.listdir(folder)) if name.endswith(".swift")}
    return result


def functions_with_return(text):
    """Names of the public functions whose body has an explicit `return` (a statement can go first)."""
    names = []
    for match in re.finditer(r"public func (\w+)\(", text):
        rest = text[match.end():]
        following = rest.find("public func ")
        body = rest if following < 0 else rest[:following]
        if "return " in body:
            names.append(match.group(1))
    return names


def breaking(text, function, code):
    """The text with `code` at the start of the body of `public func function(`."""
    start = text.index(f"public func {function}(")
    brace = text.index("{", start)
    return text[:brace + 1] + "\n    " + code + "\n" + text[brace + 1:]


def make_class(folder, rng):
    answers = solutions()
    students = []

    def write(name, chapters):
        for chapter, files in chapters.items():
            for file_name, text in files.items():
                path = os.path.join(folder, name, "Exercises", f"Chapter{chapter}", file_name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as out:
                    out.write(text)
        students.append(name)

    def signed(name, chapters):
        return {c: {f: f"// {name}'s answers\n" + t for f, t in files.items()} for c, files in chapters.items()}

    for i in range(10):
        write(f"full{i:02d}", signed(f"full{i:02d}", answers))
    for i in range(10):
        chosen = sorted(rng.sample(range(1, 10), rng.randint(3, 6)))
        write(f"partial{i:02d}", signed(f"partial{i:02d}", {c: answers[c] for c in chosen}))
    kinds = ["compile", "trap", "hang", "compile", "trap", "hang", "trap", "compile", "trap", "hang"]
    for i, kind in enumerate(kinds):
        name = f"broken{i:02d}-{kind}"
        chapters = signed(name, answers)
        chapter = rng.randint(1, 9)
        file_name = next(f for f, t in chapters[chapter].items() if functions_with_return(t))
        text = chapters[chapter][file_name]
        function = rng.choice(functions_with_return(text))
        code = {"compile": 'let broken: Int = "not a number"',
                "trap": "let tiny = [1]; _ = tiny[5]",
                "hang": "var spin = 0; while spin >= 0 { spin = (spin + 1) % 7 }"}[kind]
        chapters[chapter][file_name] = breaking(text, function, code)
        write(name, chapters)
    return students


def run(book_tool, submissions, out, work, timeout):
    command = [book_tool, "grade", submissions, "--out", out, "--work", work, "--timeout", str(timeout)]
    start = time.time()
    result = subprocess.run(command, cwd=BOOK, capture_output=True, text=True)
    seconds = time.time() - start
    if result.returncode != 0:
        sys.exit(f"book grade failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("Graded ")]
    return seconds, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=int, default=30)
    parser.add_argument("--work", help="the sandbox folder (default: a fresh one under /tmp)")
    parser.add_argument("--seed", type=int, default=12)
    arguments = parser.parse_args()

    subprocess.run(["swift", "build", "--product", "book"], cwd=BOOK, check=True, capture_output=True)
    binary = subprocess.run(["swift", "build", "--show-bin-path"], cwd=BOOK, check=True, capture_output=True, text=True).stdout.strip()
    book_tool = os.path.join(binary, "book")

    root = tempfile.mkdtemp(prefix="book-throughput-")
    os.chmod(root, 0o755)
    submissions = os.path.join(root, "class")
    students = make_class(submissions, random.Random(arguments.seed))
    work = arguments.work or os.path.join(root, "work")
    print(f"{len(students)} submissions in {submissions}; sandbox in {work}; --timeout {arguments.timeout}")

    for label in ["first run (the sandbox's first build)", "second run (everything built)"]:
        seconds, lines = run(book_tool, submissions, os.path.join(root, "report"), work, arguments.timeout)
        print(f"{label}: {seconds:.0f} s in all")
        for line in lines:
            print("  " + line)
        print(f"  load average: {open('/proc/loadavg').read().split()[0]}")
    if not arguments.work:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
