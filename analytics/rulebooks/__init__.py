"""Rulebooks shipped with Quorum: one TOML file per rulebook id in this folder.

A rulebook names the regulations it cites (``regulations``), the rules in force (``rules``) and, per rule, the
settings that differ from the rule's defaults (``[settings.RULE]``, where ``severity`` may override the rule's
severity). Data-quality checks (DQ001–DQ004) are not a regulation's: they run under every rulebook.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

RULEBOOK_DIR = Path(__file__).parent
DEFAULT_RULEBOOK = "standard"


def installed_rulebook_ids() -> list[str]:
    """Ids of the rulebooks installed with the package (file stems), sorted."""
    return sorted(p.stem for p in RULEBOOK_DIR.glob("*.toml"))


def load_rulebook_raw(source: str | Path) -> dict[str, Any]:
    """The parsed TOML of an installed rulebook id, or of a rulebook file path; not yet validated."""
    path = Path(source) if str(source).endswith(".toml") else RULEBOOK_DIR / f"{source}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)
