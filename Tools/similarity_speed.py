#!/usr/bin/env python3
"""Times the similarity report (`book similarity`) on a class of 300 students (issue 12).

Each student's answers are the reference solutions of all nine chapters, disguised as a copier
would: the names they declare (after `let`, `var`, `for`) changed, comments added, blank lines
moved, and one chapter in four left as the stub. That is the hardest case for the report's
index (almost every fingerprint is shared by almost every student), so the time is an upper
bound for a real class.

    Tools/similarity_speed.py              # 300 students
    Tools/similarity_speed.py --students 100

Not run by CI: speed is measured, never asserted.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import tempfile
import time

BOOK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def disguise(text, rng, student):
    names = sorted(set(re.findall(r"\b(?:let|var|for)\s+([a-z]\w*)", text)))
    for name in names:
        if rng.random() < 0.6:
            text = re.sub(rf"(?<![.\w]){name}\b", f"{name}{student}", text)
    lines = []
    for line in text.split("\n"):
        if rng.random() < 0.08:
            lines.append(f"// note {rng.randint(0, 10**6)}")
        lines.append(line)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--seed", type=int, default=3)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)

    subprocess.run(["swift", "build", "--product", "book"], cwd=BOOK, check=True, capture_output=True)
    binary = subprocess.run(["swift", "build", "--show-bin-path"], cwd=BOOK, check=True, capture_output=True, text=True).stdout.strip()

    root = tempfile.mkdtemp(prefix="book-similarity-")
    try:
        for student in range(arguments.students):
            for chapter in range(1, 10):
                if rng.random() < 0.25:
                    continue
                folder = os.path.join(BOOK, "Solutions", f"Chapter{chapter}")
                for name in sorted(os.listdir(folder)):
                    if not name.endswith(".swift"):
                        continue
                    text = open(os.path.join(folder, name), encoding="utf-8").read()
                    target = os.path.join(root, "class", f"student{student:03d}", "Exercises", f"Chapter{chapter}", name)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with open(target, "w", encoding="utf-8") as out:
                        out.write(disguise(text, rng, student))
        start = time.time()
        result = subprocess.run([os.path.join(binary, "book"), "similarity", os.path.join(root, "class"), "--out", os.path.join(root, "out")],
                                cwd=BOOK, capture_output=True, text=True, check=True)
        print(result.stdout.strip())
        print(f"{arguments.students} students: {time.time() - start:.1f} s in all, reading the files included "
              f"(debug build of the tool); load average {open('/proc/loadavg').read().split()[0]}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
