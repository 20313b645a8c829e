"""规则目录 Rules: the rule catalogue and the rulebooks, generated from the registry: each rule's description,
settings and the articles it cites, per rulebook, and which rulebook puts which rule in force."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from analytics.rulebooks import DEFAULT_RULEBOOK, installed_rulebook_ids, load_rulebook_raw
from dashboard import state
from dashboard.i18n import t

ALL = "__all__"


@st.cache_data(show_spinner=False)
def _catalogue(rulebook: str | None) -> pl.DataFrame:
    from analytics.engine import rule_catalogue

    return rule_catalogue(rulebook)


@st.cache_data(show_spinner=False)
def _rulebooks() -> dict[str, dict[str, Any]]:
    return {rb: load_rulebook_raw(rb) for rb in installed_rulebook_ids()}


def _regulation_titles(ids: list[str]) -> list[str]:
    from analytics.regulations import REGULATIONS

    return [f"《{REGULATIONS[i].title}》（{REGULATIONS[i].year}）" if i in REGULATIONS else i for i in ids]


def _matrix(books: dict[str, dict[str, Any]], catalogue: pl.DataFrame) -> pl.DataFrame:
    """Rule × rulebook: ● in force (data-quality checks run under every rulebook)."""
    columns: dict[str, list[str]] = {t("col.rule_id"): catalogue["rule_id"].to_list()}
    for rb, raw in books.items():
        in_force = set(raw.get("rules", []))
        columns[rb] = ["●" if r in in_force or r.startswith("DQ") else "" for r in catalogue["rule_id"].to_list()]
    return pl.DataFrame(columns)


_SECTIONS = {"Flags": "rules.doc.flags", "Why": "rules.doc.why", "Example": "rules.doc.example",
             "Not flagged": "rules.doc.not_flagged", "Settings": "rules.doc.settings"}  # fmt: skip


def _doc_markdown(doc: str) -> str:
    """The rule module's docstring (fixed sections "Flags:", "Why:" … with indented bodies) as Markdown, with the
    section names in the current language."""
    out: list[str] = []
    for line in doc.splitlines():
        head = line.rstrip().rstrip(":")
        if line and not line[0].isspace() and line.rstrip().endswith(":") and head in _SECTIONS:
            out.append(f"\n**{t(_SECTIONS[head])}**\n")
        else:
            out.append(line.strip())
    # Indented continuation lines become one paragraph; blank lines stay paragraph breaks.
    text = "\n".join(out)
    return "\n\n".join(" ".join(p.split("\n")) for p in text.split("\n\n"))


def _subject(subject: str | None, lang: str) -> str:
    """The subject kind in words (the registry's own term when the catalogue has no label for it)."""
    if not subject:
        return "—"
    key = f"subject.{subject.replace('-', '_').replace(' ', '_')}"
    text = t(key, lang)
    return subject if text == key else text


def _rule(row: dict[str, Any], lang: str, overrides: dict[str, Any] | None) -> None:
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    severity = row["severity"]
    if overrides and overrides.get("severity"):
        severity = overrides["severity"]
    title = f"{row['rule_id']} · {name} · {t(f'severity.{severity}')}"
    with st.expander(title):
        if row.get("doc"):
            st.markdown(_doc_markdown(row["doc"]))
        cols = st.columns(3)
        cols[0].markdown(f"**{t('rules.subject')}**  \n{_subject(row.get('subject'), lang)}")
        needs = row.get("needs")
        needs_text = ", ".join(needs) if isinstance(needs, list | tuple) else (needs or "")
        cols[1].markdown(f"**{t('rules.needs')}**  \n{needs_text or t('rules.needs_none')}")
        cols[2].markdown(f"**{t('rules.settings')}**  \n{row.get('settings') or '—'}")
        if overrides:
            shown = ", ".join(f"{k} = {v}" for k, v in overrides.items())
            st.markdown(f"**{t('rules.rulebook_settings')}**：`{shown}`")
        if row.get("citations_zh"):
            st.markdown(f"**{t('rules.citations')}**：{row['citations_zh']}")


def render() -> None:
    lang = state.current_lang()
    st.title(t("rules.title"))
    st.markdown(t("rules.intro"))
    books = _rulebooks()
    options = [ALL, *books]
    labels = {ALL: t("rules.all_rules")}
    for rb, raw in books.items():
        labels[rb] = f"{raw.get('name_zh' if lang == 'zh' else 'name_en', rb)} ({rb})"
    choice = st.selectbox(t("rules.rulebook"), options, format_func=labels.get, key=state.lang_key("rules_book"))
    st.session_state["rules_book"] = choice
    rulebook = None if choice == ALL else choice

    catalogue = _catalogue(rulebook)
    if rulebook is not None:
        raw = books[rulebook]
        with st.container(border=True):
            st.markdown(
                f"**{labels[rulebook]}**" + (f" · {t('rules.default')}" if rulebook == DEFAULT_RULEBOOK else "")
            )
            st.markdown(f"{t('rules.regulations')}：" + "；".join(_regulation_titles(list(raw.get("regulations", [])))))
            st.caption(t("rules.count", n=catalogue.height))
    else:
        st.caption(t("rules.count", n=catalogue.height))

    settings = (books.get(rulebook) or {}).get("settings", {}) if rulebook else {}
    tabs = st.tabs([t("rules.tab_rules"), t("rules.tab_matrix")])
    with tabs[0]:
        for row in catalogue.iter_rows(named=True):
            _rule(row, lang, settings.get(row["rule_id"]))
    with tabs[1]:
        full = _catalogue(None)
        st.dataframe(_matrix(books, full), hide_index=True, width="stretch")
        st.caption(t("rules.matrix_note"))


if __name__ == "__main__":
    render()
