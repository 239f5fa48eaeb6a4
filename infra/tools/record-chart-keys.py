#!/usr/bin/env python3
"""Prints the key paths a Helm chart's values.yaml defines, for the chart-keys test (tests/Platform.Infra.Blueprint.Tests/Helm).

Only key paths and where they came from are recorded, never the chart's text. Each line is a dotted path
("driver.enabled"); a path whose default is an empty map ends in " {}" and one whose default is a list ends in " []"
(values the stack may fill freely). Keys that are only commented out in values.yaml are not defined and not listed.

  record-chart-keys.py GIT_DIR REF PATH SOURCE [PREFIX]

GIT_DIR is a git directory of the chart's repository (the fetch tool's snapshot works), REF the tag of the pinned
version, PATH the values.yaml inside it, SOURCE how to name the repository (github:owner/name), PREFIX the key under
which a subchart's values sit in its parent (node-feature-discovery, grafana, ...).
"""
import subprocess
import sys

import yaml


def paths(node, prefix):
    if isinstance(node, dict):
        if not node and prefix:
            yield f"{prefix} {{}}"
            return
        if prefix:
            yield prefix
        for key, value in node.items():
            yield from paths(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        yield f"{prefix} []"
    else:
        yield prefix


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    git_dir, ref, path, source = sys.argv[1:5]
    prefix = sys.argv[5] if len(sys.argv) == 6 else ""
    commit = subprocess.run(["git", f"--git-dir={git_dir}", "rev-parse", f"{ref}^{{commit}}"], check=True, capture_output=True, text=True).stdout.strip()
    text = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"], check=True, capture_output=True, text=True).stdout
    print(f"# source: {source} {path} at {ref} ({commit})" + (f", under {prefix}" if prefix else ""))
    for line in paths(yaml.safe_load(text) or {}, prefix):
        print(line)


if __name__ == "__main__":
    main()
