"""The ``quorum`` command line: import, template, simulate, demo, check, rules, info, docs.

Each command is a thin shell over the ``analytics`` and ``simulations`` APIs (the dashboard calls the same
functions). Errors a user can act on are one clear line in Chinese and English and exit with status 2; they never
show a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    name="quorum",
    help="Quorum：党组会议记录合规分析 / compliance analytics over Party group meeting records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="数据库文件（默认 $QUORUM_DB 或 data/quorum.duckdb）/ store file", show_default=False),
]


def fail(zh: str, en: str, code: int = 2) -> NoReturn:
    """Print a user-facing error (Chinese, then English) and exit without a traceback."""
    err_console.print(f"[bold red]错误：[/]{zh}\n[bold red]Error:[/] {en}", highlight=False)
    raise typer.Exit(code)


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(
            f"{option} 的日期无效：{value}（应为 YYYY-MM-DD，如 2025-03-12）",
            f"{option}: invalid date {value!r} (expected YYYY-MM-DD, e.g. 2025-03-12)",
        )


def _open(db: Path | None):  # type: ignore[no-untyped-def]
    from analytics.store import open_store

    try:
        return open_store(db)
    except Exception as exc:  # duckdb raises IOException for locked or corrupt files
        fail(f"无法打开数据库 {db or '默认位置'}：{exc}", f"cannot open the store {db or '(default)'}: {exc}")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="CSV/Parquet 文件夹、.xlsx 工作簿或 .zip / folder, workbook or zip")],
    db: DbOption = None,
    defer_facts: Annotated[
        bool,
        typer.Option(
            "--defer-facts",
            help="记录事实和看板汇总表留待首次检查或打开看板时更新（批量导入多个文件时）/ leave the record facts "
            "and the dashboard's summaries to the first check or dashboard start (for a batch of imports)",
        ),
    ] = False,
) -> None:
    """导入记录 / Import records from CSV, Parquet, an Excel workbook or a zip of them.

    导入后更新检查用的记录事实（每次会议、议题、表决的应到、实到、赞成票等）/ Then rebuilds the record facts the
    checks read (per meeting, item and vote: entitled, present, yes votes…).
    """
    if not path.exists():
        fail(f"找不到路径：{path}", f"no such file or folder: {path}")
    from analytics.importer import ImportRejected, import_path

    with _open(db) as store:
        try:
            summary = import_path(store, path, facts=not defer_facts)
        except ImportRejected as rejected:
            err_console.print(rejected.format("zh"), highlight=False)
            err_console.print(rejected.format("en"), highlight=False)
            raise typer.Exit(2) from None
        if not defer_facts:  # the summaries are counted from the facts: they wait with them
            _refresh_summaries(store)
    console.print(summary.format("zh") if hasattr(summary, "format") else summary)


@app.command()
def template(
    out: Annotated[Path | None, typer.Option("--out", help="写出 .xlsx 模板 / write the .xlsx template")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="写出 CSV 模板到文件夹 / write CSV templates")] = None,
) -> None:
    """写出导入模板 / Write the import template (Excel workbook or CSV files)."""
    if out is None and csv is None:
        fail("请指定 --out FILE.xlsx 或 --csv DIR", "give --out FILE.xlsx or --csv DIR")
    if out is not None and out.suffix.lower() != ".xlsx":
        fail(f"--out 应为 .xlsx 文件：{out}", f"--out must name an .xlsx file: {out}")
    from analytics.template import write_template_csv, write_template_xlsx

    if out is not None:
        write_template_xlsx(out)
        console.print(f"模板已写出 / template written: {out}")
    if csv is not None:
        write_template_csv(csv)
        console.print(f"CSV 模板已写出 / CSV templates written: {csv}")


@app.command()
def simulate(
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    orgs: Annotated[int, typer.Option("--orgs", help="组织数量 / number of organisations")] = 12,
    years: Annotated[int, typer.Option("--years", help="年数 / number of years")] = 3,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = 1,
    start_year: Annotated[int, typer.Option("--start-year", help="起始年份 / first year")] = 2023,
    fmt: Annotated[str, typer.Option("--format", help="parquet 或 csv")] = "parquet",
    violation_rate: Annotated[float, typer.Option("--violation-rate", help="违规注入比例 / violation rate")] = 0.05,
) -> None:
    """生成模拟记录及其真值 / Simulate records with known violations (truth.csv, meta.json)."""
    if orgs < 1:
        fail(f"--orgs 应为正整数，实为 {orgs}", f"--orgs must be at least 1, got {orgs}")
    if years < 1:
        fail(f"--years 应为正整数，实为 {years}", f"--years must be at least 1, got {years}")
    if fmt not in {"parquet", "csv"}:
        fail(f"--format 应为 parquet 或 csv，实为 {fmt}", f"--format must be parquet or csv, got {fmt!r}")
    if not 0 <= violation_rate <= 1:
        fail(
            f"--violation-rate 应在 0 到 1 之间，实为 {violation_rate}",
            f"--violation-rate must be in [0, 1], got {violation_rate}",
        )
    from simulations import simulate as run_simulation

    try:
        result = run_simulation(
            out, orgs=orgs, years=years, seed=seed, start_year=start_year, fmt=fmt, violation_rate=violation_rate
        )
    except ValueError as exc:
        fail(str(exc), str(exc))
    console.print(f"已生成 / written: {out}")
    console.print(result)


@app.command()
def demo(db: DbOption = None) -> None:
    """构建演示数据库 / Build the demo store (fixed seed, about a dozen organisations over three years)."""
    from simulations import build_demo

    try:
        with console.status("正在构建演示数据 / building the demo store…"):
            path = build_demo(db)
    except ValueError as exc:
        fail(*_split_bilingual(str(exc).replace(" / ", "\n", 1)))
    with _open(path) as store:
        _refresh_summaries(store)
    console.print(f"演示数据库已就绪 / demo store ready: {path}")
    _print_summary(path)


@app.command()
def info(db: DbOption = None) -> None:
    """数据库概况 / Summary of a store: rows per table, recorded tables, latest check."""
    from analytics.store import default_db_path

    path = db or default_db_path()
    if not path.exists():
        fail(f"数据库不存在：{path}（可先运行 quorum demo）", f"no store at {path} (run `quorum demo` first)")
    _print_summary(path)


def _print_summary(path: Path) -> None:
    from analytics.schema import TABLES

    with _open(path) as store:
        counts = store.row_counts()
        recorded = store.recorded_tables()
        last = store.sql(
            "SELECT as_of, findings, violations, warnings, data_quality FROM check_runs "
            "ORDER BY finished_at DESC LIMIT 1"
        )
    table = Table(title=f"Quorum 数据库 {path}")
    table.add_column("表 / table")
    table.add_column("行数 / rows", justify="right")
    table.add_column("状态 / status")
    for name, n in counts.items():
        status = "已记录 recorded" if name in recorded else "未记录 not recorded"
        table.add_row(f"{TABLES[name].zh} {name}", f"{n:,}", status)
    console.print(table)
    if last.height:
        r = last.row(0, named=True)
        console.print(
            f"最近一次检查 / latest check: as_of {r['as_of']}，发现 {r['findings']} 项"
            f"（违规 {r['violations']}，提示 {r['warnings']}，数据质量 {r['data_quality']}）"
        )


@app.command()
def check(
    db: DbOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="检查基准日 YYYY-MM-DD（默认今天）")] = None,
    rulebook: Annotated[str | None, typer.Option("--rulebook", help="默认规则集 / default rulebook id")] = None,
    rulebook_file: Annotated[
        Path | None, typer.Option("--rulebook-file", help="自定义规则集 TOML / your own rulebook")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="覆盖设置 RULE.setting=VALUE，如 MTG002.share=2/3")
    ] = None,
    enable: Annotated[list[str] | None, typer.Option("--enable", help="启用规则 / enable a rule")] = None,
    disable: Annotated[list[str] | None, typer.Option("--disable", help="停用规则 / disable a rule")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="导出 .csv / .json / .parquet")] = None,
) -> None:
    """运行合规检查 / Run the compliance check and store its findings."""
    day = parse_date(as_of, "--as-of")
    if rulebook_file is not None and not rulebook_file.exists():
        fail(f"找不到规则集文件：{rulebook_file}", f"no such rulebook file: {rulebook_file}")
    if out is not None and out.suffix.lower() not in {".csv", ".json", ".parquet", ".xlsx"}:
        fail(
            f"--out 应为 .csv、.json、.parquet 或 .xlsx：{out}",
            f"--out must end in .csv, .json, .parquet or .xlsx: {out}",
        )
    from rich.progress import Progress

    from analytics.engine import RulebookError, run_check

    with _open(db) as store:
        if store.is_empty():
            fail(
                "数据库中没有记录：请先导入（quorum import）或构建演示数据（quorum demo）",
                "the store holds no records: import some (quorum import) or build the demo (quorum demo)",
            )
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("检查中 / checking", total=1.0)
            try:
                run = run_check(
                    store,
                    as_of=day,
                    rulebook=rulebook,
                    rulebook_file=rulebook_file,
                    overrides=set_ or (),
                    enable=enable or (),
                    disable=disable or (),
                    progress=lambda label, done: bar.update(task, completed=done, description=label),
                )
            except RulebookError as exc:
                fail(*_split_bilingual(str(exc)))
        _refresh_summaries(store)
    findings = run.findings
    if out is not None:
        from analytics.exports import write_findings

        write_findings(findings, out)
    _print_check_summary(run)
    if out is not None:
        console.print(f"已导出 {findings.height} 项 / exported {findings.height} findings: {out}")


def _refresh_summaries(store) -> None:  # type: ignore[no-untyped-def]
    """Rebuild the dashboard's summary tables now, so the dashboard opens on fresh figures without the wait."""
    from analytics.summaries import ensure_summaries

    with console.status("更新汇总表 / refreshing summary tables…"):
        ensure_summaries(store)


def _split_bilingual(message: str) -> tuple[str, str]:
    zh, _, en = message.partition("\n")
    return zh, en or zh


def _print_check_summary(run) -> None:  # type: ignore[no-untyped-def]
    import polars as pl

    findings = run.findings
    table = Table(title=f"检查结果 / findings, as_of {run.as_of}")
    for col in ("规则 rule", "名称 name", "违规 violation", "提示 warning", "数据质量 data quality"):
        table.add_column(col, justify="right" if "rule" not in col and "name" not in col else "left")
    if findings.height:
        summary = (
            findings.group_by("rule_id", "rule_name_zh")
            .agg((pl.col("severity") == sev).sum().alias(sev) for sev in ("violation", "warning", "data_quality"))
            .sort("rule_id")
        )
        for r in summary.iter_rows(named=True):
            table.add_row(
                r["rule_id"], r["rule_name_zh"], *(str(r[s]) for s in ("violation", "warning", "data_quality"))
            )
    console.print(table)
    console.print(f"共 {findings.height} 项 / {findings.height} findings in total")
    if run.skipped:
        skipped = Table(title="跳过的规则 / skipped rules")
        skipped.add_column("规则 rule")
        skipped.add_column("原因 reason")
        for rule_id, reason in sorted(run.skipped.items()):
            skipped.add_row(rule_id, reason)
        console.print(skipped)


@app.command()
def rules(
    rulebook: Annotated[str | None, typer.Option("--rulebook", help="只列出该规则集中的规则 / rules in force")] = None,
) -> None:
    """规则目录 / Print the rule catalogue (id, names, settings, severity, citations)."""
    from analytics.engine import RulebookError, rule_catalogue

    try:
        catalogue = rule_catalogue(rulebook)
    except RulebookError as exc:
        fail(*_split_bilingual(str(exc)))
    table = Table(title=f"规则目录 / rule catalogue{f' — {rulebook}' if rulebook else ''}", show_lines=True)
    for col in ("rule_id", "name_zh", "name_en", "severity", "settings", "citations_zh"):
        table.add_column(col, overflow="fold")
    for r in catalogue.iter_rows(named=True):
        table.add_row(
            *(str(r[c] or "") for c in ("rule_id", "name_zh", "name_en", "severity", "settings", "citations_zh"))
        )
    console.print(table)


@app.command()
def docs(
    check_only: Annotated[bool, typer.Option("--check", help="只检查 docs/rules.md 是否最新 / only verify")] = False,
) -> None:
    """生成规则文档 / Regenerate docs/rules.md from the registry (``--check`` fails when it is stale)."""
    from analytics.docs import render_rules_md

    target = Path("docs") / "rules.md"
    text = render_rules_md()
    if check_only:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            fail("docs/rules.md 已过期：请运行 quorum docs", "docs/rules.md is stale: run `quorum docs`", code=1)
        console.print("docs/rules.md 是最新的 / is up to date")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    console.print(f"已写出 / written: {target}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
