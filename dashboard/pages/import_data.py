"""数据导入 Import: upload an Excel workbook, CSV / Parquet files or a zip of them; the import's validation runs with a
progress bar; every problem is shown as a table (file, row, column, value, expected) that can be downloaded; a good
file is imported and the check re-run. The import template (the ``quorum template`` workbook) is offered here too.

The import runs inside the app's own process: the store file is open here, so no other process could write it.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import state
from dashboard.i18n import fmt_date, fmt_int, t

ACCEPTED = ["xlsx", "csv", "parquet", "zip"]


def _pick_lang(text: str, lang: str) -> str:
    """The importer reports progress as "中文 / English": keep the user's half."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return zh if lang == "zh" else en


@st.cache_data(show_spinner=False)
def _template_bytes() -> bytes:
    from analytics.template import write_template_xlsx

    with tempfile.TemporaryDirectory(prefix="quorum-template-") as tmp:
        path = Path(tmp) / "quorum-template.xlsx"
        write_template_xlsx(path)
        return path.read_bytes()


def _save_uploads(files: list[Any], workdir: Path) -> Path:
    """Write the uploads to disk the way the importer reads them: one workbook or zip as it is, several files (or
    one CSV / Parquet) as a folder."""
    names = [Path(f.name).name for f in files]
    if len(files) == 1 and Path(names[0]).suffix.lower() in (".xlsx", ".zip"):
        target = workdir / names[0]
        target.write_bytes(files[0].getvalue())
        return target
    folder = workdir / "upload"
    folder.mkdir()
    for f, name in zip(files, names, strict=True):
        (folder / name).write_bytes(f.getvalue())
    return folder


def _problems_frame(exc: Any, lang: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            t("import.col.file"): [p.file for p in exc.problems],
            t("import.col.row"): [p.row for p in exc.problems],
            t("import.col.column"): [p.column for p in exc.problems],
            t("import.col.value"): [p.value for p in exc.problems],
            t("import.col.expected"): [p.expected_zh if lang == "zh" else p.expected_en for p in exc.problems],
        },
        schema={
            t("import.col.file"): pl.String,
            t("import.col.row"): pl.Int64,
            t("import.col.column"): pl.String,
            t("import.col.value"): pl.String,
            t("import.col.expected"): pl.String,
        },
    )


def _import(files: list[Any], lang: str, as_of: date, rerun_check: bool) -> None:
    from analytics.importer import ImportRejected, import_path

    store = state.session_store()
    bar = st.progress(0.0, text=t("import.reading"))

    def progress(message: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=_pick_lang(message, lang))

    with tempfile.TemporaryDirectory(prefix="quorum-upload-") as tmp:
        source = _save_uploads(files, Path(tmp))
        try:
            summary = import_path(store, source, progress=progress)
        except ImportRejected as exc:
            bar.empty()
            st.session_state["_import_result"] = {"ok": False, "exc": exc}
            return
    bar.progress(1.0, text=t("import.summarising"))
    result: dict[str, Any] = {"ok": True, "summary": summary.format(lang)}
    if rerun_check:
        from analytics.engine import RulebookError, run_check

        def check_progress(step: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=t("findings.run.progress", step=step))

        try:
            run = run_check(store, as_of=as_of, progress=check_progress)
            result["check"] = t("import.checked", n=fmt_int(run.findings.height), as_of=fmt_date(as_of))
        except RulebookError as exc:
            lines = str(exc).splitlines()
            result["check_error"] = lines[0] if lang == "zh" or len(lines) < 2 else lines[1]
    state.data_changed()
    st.session_state["_import_result"] = result
    st.rerun()


def _show_result(lang: str) -> None:
    result = st.session_state.get("_import_result")
    if not result:
        return
    if result["ok"]:
        st.success(t("import.done"))
        st.code(result["summary"], language=None)
        if result.get("check"):
            st.success(result["check"])
            st.page_link(state.page("findings"), label=t("import.to_findings"), icon=":material/fact_check:")
        if result.get("check_error"):
            st.error(result["check_error"])
        return
    exc = result["exc"]
    st.error(t("import.rejected", total=fmt_int(exc.total)))
    if len(exc.problems) < exc.total:
        st.caption(t("import.rejected_shown", shown=fmt_int(len(exc.problems))))
    problems = _problems_frame(exc, lang)
    st.dataframe(problems, hide_index=True, width="stretch", key="import_problems")
    st.download_button(
        t("import.download_problems"),
        data=state.download_csv(problems),
        file_name="import-problems.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


def render() -> None:
    view = state.view_or_none()
    lang = state.current_lang()
    st.title(t("import.title"))
    st.markdown(t("import.intro"))

    with st.container(border=True):
        st.markdown(f"**{t('import.template_title')}**")
        st.caption(t("import.template_help"))
        try:
            template = _template_bytes()
        except ImportError:
            st.caption(t("import.template_unavailable"))
        else:
            st.download_button(
                t("import.template_button"),
                data=template,
                file_name="quorum-导入模板.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/table_view:",
                on_click="ignore",
            )

    files = st.file_uploader(
        t("import.upload"), type=ACCEPTED, accept_multiple_files=True, key="import_files", help=t("import.upload_help")
    )
    as_of = view.as_of if view else date.today()
    rerun_check = st.checkbox(t("import.rerun_check", as_of=fmt_date(as_of)), value=True, key="import_rerun")
    if st.button(t("import.button"), type="primary", disabled=not files, icon=":material/upload:"):
        st.session_state.pop("_import_result", None)
        _import(list(files or []), lang, as_of, rerun_check)
    _show_result(lang)


if __name__ == "__main__":
    render()
