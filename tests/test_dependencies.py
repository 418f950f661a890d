"""The locked requirements: what `make install` installs is exactly what requirements*.in chose, with hashes.

requirements*.txt are compiled by `make lock` (uv pip compile --generate-hashes); these tests catch a hand edit
of a .txt file, a .in change nobody compiled, and a dev lock whose runtime versions drifted from the runtime one.
"""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def locked(name):
    """{package: version} of a compiled file; every requirement must be pinned with == and carry hashes."""
    text = (ROOT / name).read_text()
    pins = {}
    # A requirement and its continuation lines ("\\" then "--hash=..."), comments dropped.
    for entry in re.split(r"\n(?=\S)", text):
        lines = [line for line in entry.splitlines() if not line.lstrip().startswith("#")]
        if not lines:
            continue
        spec = lines[0].rstrip(" \\")
        requirement = Requirement(spec)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{name}: {spec} is not pinned with =="
        hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", entry)
        assert hashes, f"{name}: {spec} has no --hash"
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def chosen(name):
    """{package: version} of the top-level choices in a .in file (its -r and -c lines are followed elsewhere)."""
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_locked_requirement_is_pinned_with_hashes(name):
    assert len(locked(name)) > 10


def test_the_locks_hold_the_versions_the_in_files_chose():
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    for package, version in chosen("requirements.in").items():
        assert runtime.get(package) == version, f"requirements.txt has {package} {runtime.get(package)}: run make lock"
    for package, version in chosen("requirements-dev.in").items():
        assert dev.get(package) == version, f"requirements-dev.txt has {package} {dev.get(package)}: run make lock"


def test_the_dev_lock_installs_the_runtime_lock_unchanged():
    # make install installs requirements-dev.txt alone: it must hold every runtime package at its locked version.
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    drift = {name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version}
    assert not drift, f"requirements-dev.txt differs from requirements.txt: {drift}"


def test_install_requires_hashes_and_lock_and_audit_exist():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt" in makefile
    assert re.search(r"^lock:", makefile, re.M)
    assert re.search(r"^audit:", makefile, re.M)
    assert "pip-audit" in chosen("requirements-dev.in")
    assert "uv" in chosen("requirements-dev.in")
