#!/usr/bin/env python3
"""Prints the test programs (paths relative to BUILD_DIR) whose tests carry a
label matching LABEL_REGEX, as `ctest -L LABEL_REGEX` selects them, from the
manifest the configure step writes (BUILD_DIR/test_programs.txt, one
"<label>[+<label>...] <path>" line per program of tests/CMakeLists.txt's
mesos_add_test). ctest itself knows a gtest program's tests only once the
program is built, so the ThreadSanitizer stage of scripts/test.sh asks here
which programs to build. Fails if none matches.

  scripts/test_programs.py BUILD_DIR LABEL_REGEX
"""
import os
import re
import sys


def main():
    build, pattern = os.path.abspath(sys.argv[1]), re.compile(sys.argv[2])
    selected = []
    with open(os.path.join(build, "test_programs.txt")) as manifest:
        for line in manifest:
            if not line.strip():
                continue
            # A program without labels has an empty first field.
            labels, _, path = line.rstrip("\n").partition(" ")
            if any(pattern.search(label) for label in labels.split("+")):
                selected.append(os.path.relpath(path, build))
    if not selected:
        sys.exit("test_programs.py: no test program has a label matching " + sys.argv[2])
    print("\n".join(sorted(set(selected))))


if __name__ == "__main__":
    main()
