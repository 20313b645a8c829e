"""The rule engine: runs the catalogue over a store and returns cited findings.

One check = one private DuckDB cursor on which the engine

1. makes sure the store's record facts are current (:mod:`analytics.facts`: per meeting entitled/present, per item
   entitled/yes/no, per vote, per member-year; built and stored by the first check after the records changed,
   read as they are by every later one), sets the run's date (``SET VARIABLE as_of``, read as
   ``getvariable('as_of')``) and the enumeration labels (``enum_labels``),
2. runs ``analytics/rules/views.sql``: the records and facts as of as_of (``v_*`` and ``f_*`` views) and the
   calendar facts (``f_*`` temp tables: complete months and years, org-months, whole-year members...),
3. builds ``run_settings``: one row per rule and organisation where the rule is in force, with the organisation's
   name, the rule's severity, texts and each setting as columns (a share ``share`` as ``share_p``/``share_q``/
   ``share_zh``...), whatever mix of rulebooks the organisations use,
4. runs each rule in force somewhere as its SELECT, which joins ``rule_settings`` (its slice of ``run_settings``),
   inside a wrapper that fills the severity, messages and evidence in SQL; the wrapped rules go to DuckDB ten at a
   time as one UNION ALL query (a query's fixed cost dominates small stores),
5. with ``save``, drops an earlier run of the same check (:func:`_drop_run`), inserts each batch's rows straight
   into the store's ``finding_rows`` (zstd-compressed), the run's rule names and citations once per rule and
   rulebook into ``run_rule_texts``, and records the run, in one transaction; the ``findings`` view joins rows and
   texts back, and the findings are read back, sorted, only when :attr:`CheckRun.findings` is asked for. Without
   ``save``, each batch goes to Polars through the same join and the findings are sorted (org_id, rule_id,
   subject_key).

The whole check runs with ``preserve_insertion_order`` off and a capped buffer pool (see ``Store.bulk_work``);
docs/engine.md has the facts, the figures and what was tried.

Rulebooks (``analytics/rulebooks/*.toml`` or a user's file) are parsed strictly here: an unknown rule, setting or
value raises :class:`RulebookError` naming it. Overrides (``MTG002.share=2/3``) apply on top of every
organisation's rulebook to the rules in force there; ``enable``/``disable`` switch rules for every organisation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from analytics import facts
from analytics.regulations import REGULATIONS, cite
from analytics.rulebooks import DEFAULT_RULEBOOK, installed_rulebook_ids, load_rulebook_raw
from analytics.rules import DQ_RULE_IDS, RULES, RULES_BY_ID, VIEWS_SQL, sql_statements, statement_label
from analytics.rules.rule import ID_COLUMNS, Rule
from analytics.schema import ENUMS, OPTIONAL_TABLES, TABLES
from analytics.settings import (
    SEVERITY_ZH,
    RulebookError,
    parse_severity,
    parse_value,
    render_value,
    setting_column_types,
    setting_columns,
    setting_fields,
)
from analytics.store import FINDINGS_SELECT, WORK_MEMORY_LIMIT_BYTES, Store, open_store

__all__ = [
    "FINDING_COLUMNS",
    "CheckRun",
    "Rulebook",
    "RulebookError",
    "StoreReadOnlyError",
    "check",
    "load_rulebook",
    "parse_override",
    "rule_catalogue",
    "run_check",
]

#: The findings frame's columns, in order (all text).
FINDING_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "severity",
    "org_id",
    "subject_key",
    "org_name",
    "member_id",
    "meeting_id",
    "item_id",
    "rect_id",
    "period",
    "rule_name_zh",
    "rule_name_en",
    "message_zh",
    "message_en",
    "citation_zh",
    "evidence",
)

Progress = Callable[[str, float], None]
_EMPTY_FINDINGS = pl.DataFrame(schema={c: pl.Utf8 for c in FINDING_COLUMNS})


# -- rulebooks -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleConfig:
    """A rule as a rulebook puts it in force: its severity, what it cites and its settings."""

    severity: str
    citation_zh: str
    settings: Any  # the rule's settings dataclass instance


@dataclass(frozen=True)
class Rulebook:
    """A validated rulebook: the regulations it cites, the rules in force and per-rule settings."""

    id: str
    name_zh: str
    name_en: str
    regulations: tuple[str, ...]
    rules: tuple[str, ...]
    settings: Mapping[str, Mapping[str, object]]  # rule id -> setting -> parsed value (severity included)
    citations: Mapping[str, str]  # rule id -> citation text that replaces the catalogue's
    source: str = ""

    def in_force(self, *, enable: Sequence[str] = (), disable: Sequence[str] = ()) -> tuple[str, ...]:
        """Rule ids in force: the rulebook's rules, the data-quality checks and ``enable``, minus ``disable``."""
        ids = set(self.rules) | set(DQ_RULE_IDS) | set(enable)
        return tuple(r.id for r in RULES if r.id in ids and r.id not in set(disable))

    def config(self, rule: Rule, overrides: Mapping[str, Mapping[str, object]] | None = None) -> RuleConfig:
        """The rule's severity, citation and settings here, with ``overrides`` applied on top."""
        values = {**self.settings.get(rule.id, {}), **(overrides or {}).get(rule.id, {})}
        severity = str(values.pop("severity", rule.severity))
        settings = dataclasses.replace(rule.settings(), **values)
        return RuleConfig(severity, self.citations.get(rule.id) or citation(rule, self.regulations), settings)


_TOP_KEYS = {"id", "name_zh", "name_en", "description", "regulations", "rules", "settings", "citations"}


def citation(rule: Rule, regulations: Sequence[str]) -> str:
    """What a finding of ``rule`` cites under a rulebook citing ``regulations``: the rule's sources from those
    regulations, or all its sources when it has none from them (``standard`` cites all five, so every source)."""
    chosen = [s for s in rule.sources if s.regulation in regulations] or list(rule.sources)
    by_regulation: dict[str, list[str]] = {}
    for source in chosen:
        by_regulation.setdefault(source.regulation, []).append(source.article)
    return "；".join(cite(reg, articles) for reg, articles in by_regulation.items())


def _unknown_rule(rule_id: str, where: str) -> RulebookError:
    return RulebookError(f"未知的规则 {rule_id}（{where}）", f"unknown rule {rule_id} ({where})")


def _settings_names(rule: Rule) -> list[str]:
    return [f.name for f in setting_fields(rule.settings)] + ["severity"]


def _parse_setting(rule: Rule, name: str, raw: object, where: str) -> object:
    if name == "severity":
        return parse_severity(rule.id, raw)
    if name not in _settings_names(rule):
        known = "、".join(_settings_names(rule))
        raise RulebookError(
            f"未知的规则设置 {rule.id}.{name}（{where}；{rule.id} 的设置：{known}）",
            f"unknown setting {rule.id}.{name} ({where}; settings of {rule.id}: {', '.join(_settings_names(rule))})",
        )
    return parse_value(rule.id, rule.settings, name, raw)


def parse_rulebook(raw: Mapping[str, Any], source: str) -> Rulebook:
    """Validate a rulebook's parsed TOML strictly; every problem names the rulebook and what is wrong."""
    where = f"规则手册 {source}"
    where_en = f"rulebook {source}"
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise RulebookError(
            f"{where} 含未知的键：{', '.join(unknown)}", f"{where_en} has unknown keys: {', '.join(unknown)}"
        )
    book_id = raw.get("id")
    if not isinstance(book_id, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", book_id):
        raise RulebookError(f"{where} 缺少有效的 id", f"{where_en} lacks a valid id")
    regulations = raw.get("regulations", [])
    if not isinstance(regulations, list) or any(r not in REGULATIONS for r in regulations):
        bad = [r for r in regulations if r not in REGULATIONS] if isinstance(regulations, list) else [regulations]
        raise RulebookError(
            f"{where} 引用了未知的规章：{bad}（可选：{', '.join(REGULATIONS)}）",
            f"{where_en} names unknown regulations: {bad} (known: {', '.join(REGULATIONS)})",
        )
    rules = raw.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise RulebookError(f"{where} 的 rules 应为规则编号列表", f"{where_en}: rules must be a list of rule ids")
    for rule_id in rules:
        if rule_id not in RULES_BY_ID:
            raise _unknown_rule(rule_id, where)
    settings: dict[str, dict[str, object]] = {}
    for rule_id, table in (raw.get("settings") or {}).items():
        if rule_id not in RULES_BY_ID:
            raise _unknown_rule(rule_id, f"{where} [settings.{rule_id}]")
        if not isinstance(table, dict):
            raise RulebookError(
                f"{where} 的 [settings.{rule_id}] 应为表", f"{where_en}: [settings.{rule_id}] must be a table"
            )
        rule = RULES_BY_ID[rule_id]
        settings[rule_id] = {name: _parse_setting(rule, name, value, where) for name, value in table.items()}
    citations: dict[str, str] = {}
    for rule_id, text in (raw.get("citations") or {}).items():
        if rule_id not in RULES_BY_ID:
            raise _unknown_rule(rule_id, f"{where} [citations]")
        if not isinstance(text, str) or not text.strip():
            raise RulebookError(
                f"{where} 中 {rule_id} 的引用应为文字", f"{where_en}: citation of {rule_id} must be text"
            )
        citations[rule_id] = text.strip()
    return Rulebook(
        id=book_id,
        name_zh=str(raw.get("name_zh", book_id)),
        name_en=str(raw.get("name_en", book_id)),
        regulations=tuple(regulations),
        rules=tuple(r.id for r in RULES if r.id in set(rules)),
        settings=settings,
        citations=citations,
        source=source,
    )


def load_rulebook(id_or_path: str | Path) -> Rulebook:
    """An installed rulebook by id, or a rulebook file by path, validated."""
    text = str(id_or_path)
    is_file = text.endswith(".toml") or Path(text).is_file()
    if not is_file and text not in installed_rulebook_ids():
        raise RulebookError(
            f"未安装的规则手册 {text}（已安装：{', '.join(installed_rulebook_ids())}）",
            f"rulebook {text} is not installed (installed: {', '.join(installed_rulebook_ids())})",
        )
    try:
        raw = load_rulebook_raw(id_or_path)
    except FileNotFoundError:
        raise RulebookError(f"找不到规则手册文件 {text}", f"rulebook file not found: {text}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise RulebookError(
            f"规则手册 {text} 不是有效的 TOML：{exc}", f"rulebook {text} is not valid TOML: {exc}"
        ) from None
    return parse_rulebook(raw, text)


_OVERRIDE = re.compile(r"^\s*([A-Za-z]+\d{3})\.([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$", re.S)


def parse_override(text: str) -> tuple[str, str, object]:
    """``"MTG002.share=2/3"`` -> ("MTG002", "share", Share(2, 3)), strictly."""
    m = _OVERRIDE.match(text)
    if not m:
        raise RulebookError(
            f"无法识别的规则设置 {text!r}：应为 规则.设置=值，如 MTG002.share=2/3",
            f"cannot read the setting {text!r}: expected RULE.setting=value, e.g. MTG002.share=2/3",
        )
    rule_id, name, value = m.group(1).upper(), m.group(2), m.group(3).strip()
    if rule_id not in RULES_BY_ID:
        raise _unknown_rule(rule_id, f"--set {text}")
    return rule_id, name, _parse_setting(RULES_BY_ID[rule_id], name, value, f"--set {text}")


def _parse_switches(enable: Sequence[str], disable: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for flag, ids in (("--enable", enable), ("--disable", disable)):
        parsed = []
        for raw in ids:
            rule_id = raw.strip().upper()
            if rule_id not in RULES_BY_ID:
                raise _unknown_rule(raw, f"{flag} {raw}")
            parsed.append(rule_id)
        out.append(tuple(sorted(set(parsed))))
    both = sorted(set(out[0]) & set(out[1]))
    if both:
        raise RulebookError(
            f"规则 {', '.join(both)} 不能同时启用和停用", f"rule {', '.join(both)} cannot be both enabled and disabled"
        )
    return out[0], out[1]


# -- a run ---------------------------------------------------------------------------------------------------------
class StoreReadOnlyError(RuntimeError):
    """``save=True`` on a store opened read-only; ``str()`` is Chinese, newline, English."""


@dataclass
class CheckRun:
    """One check: its id (stable for the same as_of and options), the findings, the skipped rules and counts.

    A saved run's findings are read back from the store the first time :attr:`findings` is asked for, not held
    from the start: a large store has millions of findings, and a caller such as ``quorum check`` or the import
    page wants only the counts. If the store has been closed by then, its file is opened read-only to read them."""

    run_id: str
    as_of: dt.date
    skipped: dict[str, str]  # rule id -> reason, Chinese / English
    counts: dict[str, int]  # findings, violation, warning, data_quality, rules_run, rules_skipped, organizations
    _frame: pl.DataFrame | None = dataclasses.field(default=None, repr=False)
    _load: Callable[[], pl.DataFrame] | None = dataclasses.field(default=None, repr=False)

    @property
    def findings(self) -> pl.DataFrame:
        """The findings, sorted by (org_id, rule_id, subject_key), with :data:`FINDING_COLUMNS`."""
        if self._frame is None:
            self._frame = self._load() if self._load is not None else _EMPTY_FINDINGS
        return self._frame


_SAVED_FINDINGS = "SELECT * EXCLUDE (run_id) FROM findings WHERE run_id = $r ORDER BY org_id, rule_id, subject_key"


def _saved_findings_loader(store: Store, run_id: str) -> Callable[[], pl.DataFrame]:
    """Reads a saved run's findings from ``store``, or from its file once the store is closed."""

    def load() -> pl.DataFrame:
        try:
            return store.sql(_SAVED_FINDINGS, {"r": run_id})
        except duckdb.ConnectionException:
            if store.path is None:  # an in-memory store that is gone: its findings went with it
                raise
        with open_store(store.path, read_only=True) as reopened:
            return reopened.sql(_SAVED_FINDINGS, {"r": run_id})

    return load


def _as_of(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise RulebookError(
            f"无效的检查日期 {value!r}：应为 YYYY-MM-DD", f"invalid as_of {value!r}: expected YYYY-MM-DD"
        ) from None


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(g))?\}")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compile_template(template: str, alias: str = "f") -> str:
    """A message template into one SQL expression: ``{col}`` is the column as text, ``{col:g}`` a number without
    trailing zeros; a NULL reads as empty. Templates are the rule author's constants, never user input."""
    parts: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append(_sql_text(template[pos : m.start()]))
        column = f"{alias}.{m.group(1)}"
        if m.group(2) == "g":
            parts.append(f"coalesce(format('{{:g}}', CAST({column} AS DOUBLE)), '')")
        else:
            parts.append(f"coalesce(CAST({column} AS VARCHAR), '')")
        pos = m.end()
    if pos < len(template):
        parts.append(_sql_text(template[pos:]))
    return "concat(" + ", ".join(parts or ["''"]) + ")"


def wrapped_sql(rule: Rule) -> str:
    """The rule's SELECT inside the wrapper that adds severity, messages and evidence: a row of ``finding_rows``
    (less its run_id), whose ``text_no`` points at the rule's names and citation for the organisation's rulebook
    (``run_texts``; the ``findings`` view and :data:`analytics.store.FINDINGS_SELECT` join them back).

    ``rule_settings`` is the rule's own slice of ``run_settings`` (one row per organisation where it is in force)."""
    ids = ",\n    ".join(f"f.{c}" if c in rule.id_columns else f"CAST(NULL AS VARCHAR) AS {c}" for c in ID_COLUMNS)
    evidence = ", ".join(f"{_sql_text(c)}, f.{c}" for c in rule.evidence)
    rule_id = _sql_text(rule.id)
    return f"""SELECT
    {rule_id} AS rule_id,
    s.severity,
    f.org_id,
    f.subject_key,
    s.org_name,
    {ids},
    f.period,
    s.text_no,
    {compile_template(rule.message_zh)} AS message_zh,
    {compile_template(rule.message_en)} AS message_en,
    CAST(json_object({evidence}) AS VARCHAR) AS evidence
FROM (
    WITH rule_settings AS (SELECT * FROM run_settings WHERE rule_id = {rule_id})
    SELECT * FROM (
{rule.sql.strip()}
    ) r
) f
JOIN run_settings s ON s.rule_id = {rule_id} AND s.org_id = f.org_id"""


#: Rules per query (see run_check).
_RULES_PER_QUERY = 10


@functools.cache
def _enum_labels() -> pa.Table:
    """The enumerations' labels (``enum_labels``), built once per process."""
    return pl.DataFrame(
        [(e.name, code, label) for e in ENUMS.values() for code, label in e.labels.items()],
        schema={"enum_name": pl.Utf8, "code": pl.Utf8, "label_zh": pl.Utf8},
        orient="row",
    ).to_arrow()


_POLARS_TYPES = {"BIGINT": pl.Int64, "INTEGER": pl.Int32, "VARCHAR": pl.Utf8, "BOOLEAN": pl.Boolean}


def _settings_frame(rule: Rule, configs: Mapping[str, RuleConfig]) -> pl.DataFrame:
    """One row per rulebook where the rule is in force: severity, the rule's texts (numbered ``text_no``), and the
    settings as columns."""
    types = {"rulebook_id": "VARCHAR", "rule_id": "VARCHAR", "severity": "VARCHAR", "text_no": "INTEGER"}
    types |= {"rule_name_zh": "VARCHAR", "rule_name_en": "VARCHAR", "citation_zh": "VARCHAR"}
    types |= setting_column_types(rule.settings)
    schema = {k: (pl.List(pl.Utf8) if v == "VARCHAR[]" else _POLARS_TYPES[v]) for k, v in types.items()}
    texts = {"rule_name_zh": rule.name_zh, "rule_name_en": rule.name_en}
    rows = [
        {"rulebook_id": book_id, "rule_id": rule.id, "severity": c.severity, "text_no": n}
        | texts
        | {"citation_zh": c.citation_zh}
        | setting_columns(rule.settings, c.settings)
        for n, (book_id, c) in enumerate(configs.items())
    ]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _sorted(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The rules' findings in one frame, sorted by (org_id, rule_id, subject_key). Empties ``parts`` so that the
    rules' frames go as soon as the sorted copy exists."""
    frame = pl.concat(parts, rechunk=False)
    parts.clear()
    return frame.sort(["org_id", "rule_id", "subject_key"])


def _run_id(as_of: dt.date, options: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"{as_of.isoformat()}-{digest[:12]}"


def _skip_reason(missing: Sequence[str]) -> str:
    zh = "、".join(f"{TABLES[t].zh}（{t}）" for t in missing)
    return f"所需的表 {zh} 从未导入，未检查 / needs table {', '.join(missing)}, never imported: not checked"


def _severity_counts(by_severity: Mapping[str, int]) -> dict[str, int]:
    counts = {sev: int(by_severity.get(sev, 0)) for sev in ("violation", "warning", "data_quality")}
    return {"findings": sum(by_severity.values()), **counts}


@contextlib.contextmanager
def _zstd_findings(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Compress what the block writes with zstd (the database's setting, put back after).

    DuckDB's default picks a compression per column segment by trying each method; for the findings' text that
    analysis is most of the cost of storing them (40M attendance rows, 2.7M findings: 16.8 CPU-s to insert them,
    zstd 11.0, and a third of the disk). Reading them back costs ~0.3 µs a row more, paid by the rare full reads
    (the dashboard's summaries, an export). Only the findings: the facts, read by every check, keep the default."""
    (previous,) = cur.execute("SELECT current_setting('force_compression')").fetchall()[0]
    cur.execute("SET force_compression = 'zstd'")
    try:
        yield
    finally:
        cur.execute("SET force_compression = $v", {"v": previous})


def _drop_run(cur: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Delete a stored run (its check_runs row and findings) in a transaction of its own.

    Not in the transaction that stores the new run: DuckDB commits a transaction that both deletes and appends
    millions of rows of one table several times slower (40M attendance rows, 2.7M findings: 6.6–16 s for the
    commit instead of 0.5 s). Each of the two transactions leaves the store whole: it holds the old run, no run (if
    the new one failed), or the new run, never a mix."""
    cur.execute("BEGIN TRANSACTION")
    try:
        cur.execute("DELETE FROM finding_rows WHERE run_id = $r", {"r": run_id})
        cur.execute("DELETE FROM run_rule_texts WHERE run_id = $r", {"r": run_id})
        cur.execute("DELETE FROM check_runs WHERE run_id = $r", {"r": run_id})
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def run_check(
    store: Store,
    *,
    as_of: dt.date | str | None = None,
    rulebook: str | None = None,
    rulebook_file: str | Path | None = None,
    overrides: Sequence[str] = (),
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    save: bool = True,
    progress: Progress | None = None,
) -> CheckRun:
    """Check every organisation against its rulebook as of ``as_of``; see the module docstring."""
    started = dt.datetime.now()
    day = _as_of(as_of)
    report = progress or (lambda _label, _fraction: None)
    if isinstance(overrides, str):  # a single "RULE.setting=value" given where a list is expected
        overrides = [overrides]
    parsed_overrides = [parse_override(o) for o in overrides]
    set_values: dict[str, dict[str, object]] = {}
    for rule_id, name, value in parsed_overrides:
        set_values.setdefault(rule_id, {})[name] = value
    enabled, disabled = _parse_switches(enable, disable)

    books: dict[str, Rulebook] = {}
    user_book = load_rulebook(rulebook_file) if rulebook_file is not None else None
    # a user's rulebook file is the default for organisations without one, unless a default is named
    default_id = rulebook or (user_book.id if user_book is not None else DEFAULT_RULEBOOK)

    def book(book_id: str) -> Rulebook:
        if book_id not in books:
            books[book_id] = user_book if user_book is not None and user_book.id == book_id else load_rulebook(book_id)
        return books[book_id]

    cur = store.con.cursor()
    settings = contextlib.ExitStack()
    settings.enter_context(store.bulk_work(WORK_MEMORY_LIMIT_BYTES, cur))
    try:
        if save and cur.execute(
            "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone() == (True,):
            raise StoreReadOnlyError(
                "记录库以只读方式打开，无法保存检查结果（可用 save=False 只查看结果）\n"
                "the store is open read-only: the check cannot be saved (use save=False to only look at the findings)"
            )
        # Each organisation's rulebook: its own, else the default. Only the distinct ids are looked at in Python.
        cur.execute(
            """CREATE OR REPLACE TEMP TABLE run_org_rulebook AS
               SELECT org_id, name AS org_name, coalesce(nullif(trim(rulebook), ''), $default) AS rulebook_id,
                      nullif(trim(rulebook), '') IS NOT NULL AS named
               FROM organizations""",
            {"default": default_id},
        )
        used = dict(
            cur.execute(
                "SELECT rulebook_id, count(*) FROM run_org_rulebook GROUP BY rulebook_id ORDER BY rulebook_id"
            ).fetchall()
        )
        for book_id in used:
            try:
                book(book_id)
            except RulebookError as exc:
                named = cur.execute(
                    "SELECT min(org_id) FROM run_org_rulebook WHERE rulebook_id = $b AND named", {"b": book_id}
                ).fetchone()
                if named and named[0] is not None:
                    raise RulebookError(
                        f"组织 {named[0]} 的适用规则 {book_id} 无法使用：{exc.zh}",
                        f"organisation {named[0]} names rulebook {book_id}, which cannot be used: {exc.en}",
                    ) from None
                raise
        book(default_id)  # a bad default is an error even when every organisation names its own

        in_force = {bid: set(books[bid].in_force(enable=enabled, disable=disabled)) for bid in used}
        recorded = store.recorded_tables()
        options = {
            "as_of": day.isoformat(),
            "rulebook": default_id,
            "rulebook_file": str(rulebook_file) if rulebook_file is not None else None,
            "rulebook_file_content": dataclasses.asdict(user_book) if user_book else None,
            "set": [f"{r}.{n}={render_value(v)}" for r, n, v in parsed_overrides],
            "enable": list(enabled),
            "disable": list(disabled),
        }
        run_id = _run_id(day, json.loads(json.dumps(options, default=str)))

        report("views", 0.0)
        facts.ensure(store, cur)  # built once per change of the records, then read by every check
        cur.execute("SET VARIABLE as_of = CAST($as_of AS DATE)", {"as_of": day})
        cur.register("enum_labels_df", _enum_labels())
        cur.execute("CREATE OR REPLACE TEMP TABLE enum_labels AS SELECT * FROM enum_labels_df")
        cur.unregister("enum_labels_df")
        for statement in sql_statements(VIEWS_SQL):
            cur.execute(statement)
        report("rules", 0.1)

        skipped: dict[str, str] = {}
        runnable: list[Rule] = []
        for rule in RULES:
            if not any(rule.id in ids for ids in in_force.values()):
                continue  # in force nowhere: not run, not "skipped"
            missing = [t for t in rule.needs if t in OPTIONAL_TABLES and t not in recorded]
            if missing:
                skipped[rule.id] = _skip_reason(missing)
            else:
                runnable.append(rule)
        # Every rule's settings in one relation (one row per rule and organisation where it is in force): the
        # wrapper narrows it to the rule as `rule_settings`, so each rule is one query whatever the rulebook mix.
        frames = [
            _settings_frame(
                rule, {bid: books[bid].config(rule, set_values) for bid, ids in in_force.items() if rule.id in ids}
            )
            for rule in runnable
        ]
        # every rule's columns, even of rules not run, so that any rule's SQL binds against run_settings
        settings_frame = pl.concat([*(_settings_frame(rule, {}) for rule in RULES), *frames], how="diagonal")
        cur.register("run_settings_df", settings_frame)
        cur.execute(
            """CREATE OR REPLACE TEMP TABLE run_settings AS
               SELECT o.org_id, o.org_name, d.* EXCLUDE (rulebook_id)
               FROM run_org_rulebook o JOIN run_settings_df d ON d.rulebook_id = o.rulebook_id"""
        )
        # the run's texts: per rule, one row per rulebook in use that puts it in force
        cur.execute(
            """CREATE OR REPLACE TEMP TABLE run_texts AS
               SELECT rule_id, text_no, rule_name_zh, rule_name_en, citation_zh FROM run_settings_df"""
        )
        cur.unregister("run_settings_df")
        counts = {"rules_run": len(runnable), "rules_skipped": len(skipped), "organizations": sum(used.values())}
        batches = [runnable[n : n + _RULES_PER_QUERY] for n in range(0, len(runnable), _RULES_PER_QUERY)]

        def batch_sql(batch: list[Rule], n: int) -> str:
            report(batch[0].id if len(batch) == 1 else f"{batch[0].id}-{batch[-1].id}", 0.1 + 0.85 * n / len(batches))
            return "\nUNION ALL\n".join(f"({wrapped_sql(rule)})" for rule in batch)

        if save:
            # The findings go from the rules straight into the store, never through Python: at 40M attendance rows
            # they are millions of rows and a gigabyte of text. Rules run a batch at a time as one UNION ALL query
            # (each query has a fixed cost that dominates a small store's check); the store keeps them unsorted
            # (the readers sort) and CheckRun.findings reads them back, sorted, only when asked.
            _drop_run(cur, run_id)  # the same as_of and options give the same run_id: the new run replaces it
            with _zstd_findings(cur):
                cur.execute("BEGIN TRANSACTION")
                try:
                    for n, batch in enumerate(batches):
                        cur.execute(
                            f"INSERT INTO finding_rows SELECT $r, * FROM ({batch_sql(batch, n)})", {"r": run_id}
                        )
                    report("save", 0.95)
                    cur.execute("INSERT INTO run_rule_texts SELECT $r, * FROM run_texts", {"r": run_id})
                    by_severity = dict(
                        cur.execute(
                            "SELECT severity, count(*) FROM finding_rows WHERE run_id = $r GROUP BY severity",
                            {"r": run_id},
                        ).fetchall()
                    )
                    counts |= _severity_counts(by_severity)
                    cur.execute(
                        """INSERT INTO check_runs VALUES ($run_id, $as_of, $default, $rulebooks, $overrides, $started,
                           now(), $findings, $violations, $warnings, $dq, $skipped)""",
                        {
                            "run_id": run_id,
                            "as_of": day,
                            "default": default_id,
                            "rulebooks": json.dumps(dict(sorted(used.items())), ensure_ascii=False),
                            "overrides": json.dumps(
                                {k: options[k] for k in ("set", "enable", "disable", "rulebook_file")},
                                ensure_ascii=False,
                            ),
                            "started": started,
                            "findings": counts["findings"],
                            "violations": counts["violation"],
                            "warnings": counts["warning"],
                            "dq": counts["data_quality"],
                            "skipped": json.dumps(skipped, ensure_ascii=False),
                        },
                    )
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
            run = CheckRun(run_id, day, skipped, counts, _load=_saved_findings_loader(store, run_id))
        else:
            # Not saved: each batch's findings go straight to Polars (no findings table in DuckDB: the strings
            # would be held twice), then one sort.
            def whole(batch: list[Rule], n: int) -> str:  # the batch's rows as the findings view shows them
                rows = f"(SELECT {_sql_text(run_id)} AS run_id, * FROM ({batch_sql(batch, n)}))"
                texts = f"(SELECT {_sql_text(run_id)} AS run_id, * FROM run_texts)"
                return f"SELECT * EXCLUDE (run_id) FROM ({FINDINGS_SELECT.format(rows=rows, texts=texts)})"

            parts = [_EMPTY_FINDINGS, *(cur.sql(whole(batch, n)).pl() for n, batch in enumerate(batches))]
            report("sort", 0.95)
            findings = _sorted(parts)
            counts |= _severity_counts(dict(findings.group_by("severity").len().iter_rows()))
            run = CheckRun(run_id, day, skipped, counts, _frame=findings)
    finally:
        settings.close()
        cur.close()
    report("done", 1.0)
    return run


def check(
    store: Store,
    *,
    as_of: dt.date | str | None = None,
    rulebook: str | None = None,
    rulebook_file: str | Path | None = None,
    overrides: Sequence[str] = (),
    enable: Sequence[str] = (),
    disable: Sequence[str] = (),
    save: bool = True,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """The findings of :func:`run_check` (same arguments)."""
    return run_check(
        store,
        as_of=as_of,
        rulebook=rulebook,
        rulebook_file=rulebook_file,
        overrides=overrides,
        enable=enable,
        disable=disable,
        save=save,
        progress=progress,
    ).findings


# -- the catalogue ---------------------------------------------------------------------------------------------------
def _settings_text(settings: object) -> str:
    return "; ".join(f"{f.name}={render_value(getattr(settings, f.name))}" for f in setting_fields(type(settings)))


def rule_catalogue(rulebook: str | None = None) -> pl.DataFrame:
    """One row per rule — per rule in force in ``rulebook`` (an id or a .toml path) when given — with the severity,
    settings and citation that rulebook gives it."""
    book = load_rulebook(rulebook) if rulebook is not None else None
    rows = []
    for rule in RULES:
        if book is not None and rule.id not in book.in_force():
            continue
        config = book.config(rule) if book is not None else None
        rows.append(
            {
                "rule_id": rule.id,
                "name_zh": rule.name_zh,
                "name_en": rule.name_en,
                "severity": config.severity if config else rule.severity,
                "subject": ", ".join(rule.subject),
                "settings": _settings_text(config.settings if config else rule.settings()),
                "citations_zh": config.citation_zh if config else citation(rule, tuple(REGULATIONS)),
                "needs": ", ".join(rule.needs),
                "doc": rule.doc.strip(),
                "severity_zh": SEVERITY_ZH[config.severity if config else rule.severity],
                "slug": rule.slug,
            }
        )
    return pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows[0]} if rows else None)


def timed_views(store: Store, as_of: dt.date | str | None = None) -> dict[str, float]:
    """Seconds spent by each statement of views.sql (for the bench): materialises the facts on a throw-away
    cursor."""
    cur: duckdb.DuckDBPyConnection = store.con.cursor()
    out: dict[str, float] = {}
    try:
        facts.ensure(store, cur)
        cur.execute("SET VARIABLE as_of = CAST($as_of AS DATE)", {"as_of": _as_of(as_of)})
        for statement in sql_statements(VIEWS_SQL):
            t0 = time.perf_counter()
            cur.execute(statement)
            out[statement_label(statement)] = time.perf_counter() - t0
    finally:
        cur.close()
    return out
