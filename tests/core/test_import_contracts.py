"""The layers contract in pyproject.toml holds today and catches an import that breaks it.

Each case copies the source tree and pyproject.toml to a temporary folder, optionally adds
one forbidden import, and runs lint-imports there with the copy first on the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_copy(tmp_path: Path, additions: dict[str, str]) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "steerco",
        tmp_path / "src" / "steerco",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    for module, line in additions.items():
        with (tmp_path / "src" / module).open("a", encoding="utf-8") as source:
            source.write(f"\n{line}\n")
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_untouched_tree_keeps_every_contract(tmp_path):
    result = _lint_copy(tmp_path, {})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        (
            "steerco/core/versioning.py",
            "import steerco.logs",
            "steerco.core is not allowed to import steerco.logs",
        ),
        (
            "steerco/engine/scheduling/__init__.py",
            "import steerco.plans",
            "steerco.engine is not allowed to import steerco.plans",
        ),
        # The deny-list this contract replaced missed the entry points.
        (
            "steerco/engine/interop/__init__.py",
            "import steerco.schedule_command",
            "steerco.engine is not allowed to import steerco.schedule_command",
        ),
        (
            "steerco/accounts/services.py",
            "import steerco.resources.selectors",
            "steerco.accounts is not allowed to import steerco.resources",
        ),
    ],
)
def test_importing_a_higher_layer_breaks_the_contract(tmp_path, module, line, broken):
    result = _lint_copy(tmp_path, {module: line})

    assert result.returncode != 0
    assert broken in result.stdout, result.stdout + result.stderr


def test_a_new_top_level_module_must_be_given_a_layer(tmp_path):
    result = _lint_copy(tmp_path, {"steerco/reporting.py": "import steerco.core"})

    assert result.returncode != 0
    assert "steerco.reporting" in result.stdout + result.stderr
