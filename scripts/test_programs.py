#!/usr/bin/env python3
"""Prints the build outputs (paths relative to BUILD_DIR) that the tests ctest
lists on stdin (`ctest --show-only=json-v1`) run: their programs and any
program of the build they are given as an argument. The ThreadSanitizer stage
of scripts/test.sh builds just these instead of every target.

  ctest --test-dir B -L L --show-only=json-v1 | scripts/test_programs.py B
"""
import json
import os
import sys


def main():
    build = os.path.abspath(sys.argv[1]) + "/"
    listing = json.load(sys.stdin)
    outputs = set()
    for test in listing.get("tests", []):
        for word in test.get("command", []):
            # An argument may be --flag=/path/in/the/build.
            for part in word.split("="):
                if part.startswith(build):
                    outputs.add(part[len(build):])
    if not outputs:
        sys.exit("test_programs.py: no test program found under " + build)
    print("\n".join(sorted(outputs)))


if __name__ == "__main__":
    main()
