"""The Rust each part of the crate needs: the highest `rust-version` among the packages that the
library's build pulls in (normal and build dependencies, no dev-dependencies), per feature.

Usage: python3 .ci/msrv.py [--check FEATURES...]
With --check, exits 1 when the library without features needs more than the crate's own
`rust-version`.
"""

import json
import subprocess
import sys


def version_key(v):
    return tuple(int(p) for p in (v or "0").split("."))


def rust_versions():
    meta = json.loads(
        subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"])
    )
    versions = {(p["name"], p["version"]): p.get("rust_version") for p in meta["packages"]}
    root = next(p for p in meta["packages"] if p["id"] == meta["resolve"]["root"])
    return versions, root.get("rust_version")


def needs(features, versions):
    """The packages a build of the library with `features` compiles on this target, as cargo's
    resolver picks them (dev-dependencies and their features left out)."""
    args = ["cargo", "tree", "--locked", "--prefix", "none", "-e", "normal,build",
            "--no-default-features", "-f", "{p}"]
    if features:
        args += ["--features", ",".join(features)]
    out = subprocess.check_output(args, text=True, stderr=subprocess.DEVNULL)
    seen = set()
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1].startswith("v"):
            seen.add((parts[0], parts[1][1:]))
    highest = max(
        ((versions.get(p), p[0]) for p in seen),
        key=lambda t: version_key(t[0]),
        default=(None, None),
    )
    return highest, len(seen)


def main():
    check = "--check" in sys.argv
    sets = [[]] + [[f] for f in ["serde", "tower-http", "reqwest", "reqwest-middleware", "azure-core", "ureq"]]
    failed = False
    versions, crate = rust_versions()
    for features in sets:
        try:
            (version, name), count = needs(features, versions)
        except subprocess.CalledProcessError:
            print(f"{'+'.join(features) or '(none)'}: unknown feature here, skipped")
            continue
        label = "+".join(features) or "(no features)"
        print(f"{label:<22} {count:>3} packages, highest rust-version {version} ({name})")
        if not features and version_key(version) > version_key(crate):
            print(f"the library needs Rust {version} ({name}) but declares rust-version {crate}")
            failed = True
    if check and failed:
        sys.exit(1)


main()
