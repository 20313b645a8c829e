"""合规检查 Findings: the latest check's findings for the inspector, a check run with progress, filters by rule,
severity, organisation (sidebar), member, period (sidebar) and mark, and for the selected finding its citation,
message, the records behind it (the meeting, the member's year, the rectification, the organisation's month) and
the inspector's mark (已核实 / 已排除 with a reason)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from analytics import marks, queries
from analytics.queries import FindingFilter
from analytics.rulebooks import DEFAULT_RULEBOOK, installed_rulebook_ids
from dashboard import state, widgets
from dashboard.i18n import enum_label, enum_labels, fmt_date, fmt_finding_period, fmt_int, fmt_num, fmt_pct, relabel, t

PAGE_SIZE = 200
# Text markers, not emoji: the servers' fonts (Noto CJK) have no colour emoji, and tables cannot colour a cell.
SEVERITY_ICONS = {"violation": "■", "warning": "▲", "data_quality": "○"}
MARK_ICONS = {"unmarked": "", "confirmed": "✓", "dismissed": "✗"}
FOCUS = "▶"


# -- running a check ---------------------------------------------------------------------------------------------
def _run_check(view: state.View) -> None:
    with st.expander(t("findings.run.title"), expanded=view.run is None):
        with st.form("run_check", border=False):
            cols = st.columns([2, 3])
            rulebook = cols[0].selectbox(
                t("findings.run.rulebook"),
                installed_rulebook_ids(),
                index=installed_rulebook_ids().index(DEFAULT_RULEBOOK),
                help=t("findings.run.rulebook_help"),
            )
            overrides = cols[1].text_input(
                t("findings.run.overrides"), placeholder="MTG002.share=2/3", help=t("findings.run.overrides_help")
            )
            submitted = st.form_submit_button(
                t("findings.run.button", as_of=fmt_date(view.as_of)), type="primary", icon=":material/play_arrow:"
            )
        if submitted:
            _execute_check(view, rulebook, [o.strip() for o in overrides.replace("，", ",").split(",") if o.strip()])


def _execute_check(view: state.View, rulebook: str, overrides: list[str]) -> None:
    from analytics.engine import RulebookError, run_check

    bar = st.progress(0.0, text=t("findings.run.starting"))

    def progress(step: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t("findings.run.progress", step=step))

    try:
        run = run_check(
            state.session_store(), as_of=view.as_of, rulebook=rulebook, overrides=overrides, progress=progress
        )
    except RulebookError as exc:
        bar.empty()
        lines = str(exc).splitlines()
        st.error(lines[0] if view.lang == "zh" or len(lines) < 2 else lines[1])
        return
    bar.progress(1.0, text=t("findings.run.summarising"))
    state.data_changed()
    st.session_state["_flash"] = t("findings.run.done", n=fmt_int(run.findings.height))
    st.rerun()


# -- filters -------------------------------------------------------------------------------------------------------
def _filters(view: state.View, facets: dict[str, pl.DataFrame]) -> FindingFilter:
    rules_df = facets["rules"]
    name_col = "rule_name_zh" if view.lang == "zh" else "rule_name_en"
    rule_labels = {r: f"{r} {n or ''} ({c})" for r, n, c in rules_df.select("rule_id", name_col, "n").iter_rows()}
    rules_key, sev_key = state.lang_key("f_rules"), state.lang_key("f_sev")
    if isinstance(st.session_state.get(rules_key), list):
        st.session_state[rules_key] = [v for v in st.session_state[rules_key] if v in rule_labels]

    c1, c2, c3 = st.columns([3, 2, 2])
    rules = c1.multiselect(
        t("findings.filter.rules"), list(rule_labels), format_func=rule_labels.get, key=rules_key,
        placeholder=t("findings.filter.any"),
    )  # fmt: skip
    sev_labels = {s: t(f"severity.{s}") for s in queries.SEVERITIES}
    severities = c2.multiselect(
        t("findings.filter.severity"), list(queries.SEVERITIES), format_func=sev_labels.get,
        key=sev_key, placeholder=t("findings.filter.any"),
    )  # fmt: skip
    st.session_state["f_rules"], st.session_state["f_sev"] = rules, severities
    member = _member_filter(c3, view)
    c4, c5 = st.columns([3, 4])
    marks_chosen = c4.pills(
        t("findings.filter.mark"), list(queries.MARKS), selection_mode="multi", key="f_marks",
        format_func={m: t(f"mark.{m}") for m in queries.MARKS}.get,
    )  # fmt: skip
    text = c5.text_input(t("findings.filter.text"), key="f_text", placeholder=t("findings.filter.text_placeholder"))
    return FindingFilter(
        org_id=view.org_id,
        period=view.period,
        rules=tuple(rules),
        severities=tuple(severities),
        member_id=member,
        marks=tuple(marks_chosen or ()),
        text=text or None,
    )


def _member_filter(col: Any, view: state.View) -> str | None:
    """A member by name or id within the organisation (a search, not a list: a county has thousands)."""
    text = col.text_input(
        t("findings.filter.member"), key="f_member_q", placeholder=t("findings.filter.member_placeholder")
    )
    if not text or not text.strip():
        return None
    found = queries.find_members(state.session_store(), text, org_id=view.org_id, limit=30)
    if found.height == 0:
        col.caption(t("findings.filter.no_member"))
        return None
    labels = {r["member_id"]: f"{r['name']} · {r['org_name']} ({r['member_id']})" for r in found.iter_rows(named=True)}
    if st.session_state.get("f_member") not in labels:
        st.session_state["f_member"] = next(iter(labels))
    return col.selectbox(
        t("findings.filter.member_pick"), list(labels), format_func=labels.get, key="f_member",
        label_visibility="collapsed",
    )  # fmt: skip


# -- the list --------------------------------------------------------------------------------------------------------
def _key(row: dict[str, Any]) -> str:
    return f"{row['rule_id']}|{row['subject_key']}"


def _table(rows: pl.DataFrame, lang: str) -> pl.DataFrame:
    name_col = "rule_name_zh" if lang == "zh" else "rule_name_en"
    msg_col = "message_zh" if lang == "zh" else "message_en"
    severities = {s: f"{SEVERITY_ICONS.get(s, '')} {t(f'severity.{s}')}" for s in queries.SEVERITIES}
    marks_ = {m: f"{MARK_ICONS.get(m, '')} {t(f'mark.{m}')}".strip() for m in queries.MARKS}
    periods = {p: fmt_finding_period(p) for p in rows["period"].unique().drop_nulls().to_list()}
    return rows.select(
        relabel("severity", severities).alias(t("col.severity")),
        pl.concat_str(pl.col("rule_id"), pl.lit(" "), pl.col(name_col).fill_null("")).alias(t("col.rule")),
        pl.col("org_name").alias(t("col.org")),
        pl.col("subject_key").alias(t("col.subject")),
        pl.col("member_name").fill_null("").alias(t("col.member")),
        relabel("period", periods).alias(t("col.period")),
        pl.col(msg_col).alias(t("col.message")),
        relabel("mark", marks_).alias(t("col.mark")),
    )


def _on_table_select() -> None:
    """Clicking a row picks that finding (the picker below is the single source of truth)."""
    selection = st.session_state.get("f_table")
    keys = st.session_state.get("_f_keys", [])
    try:
        chosen = selection["selection"]["rows"]  # type: ignore[index]
    except (KeyError, TypeError):
        return
    if chosen and chosen[0] < len(keys):
        st.session_state["f_pick"] = keys[chosen[0]]


# -- evidence --------------------------------------------------------------------------------------------------------
def _status_labels() -> dict[str, str]:
    return {**enum_labels("status"), "unrecorded": t("status.unrecorded"), "not_on_roster": t("status.not_on_roster")}


def _meeting(ev: queries.MeetingEvidence, f: dict[str, Any]) -> None:
    m = ev.meeting
    st.markdown(f"#### {t('evidence.meeting')}：{m.get('title') or m['meeting_id']}")
    cols = st.columns(4)
    cols[0].markdown(f"**{t('evidence.kind')}**  \n{enum_label('meeting_kind', m['kind'])}")
    cols[1].markdown(f"**{t('evidence.held_on')}**  \n{fmt_date(m['held_on'])}")
    cols[2].markdown(f"**{t('evidence.chair')}**  \n{m.get('chair_name') or m.get('chair_id') or '—'}")
    cols[3].markdown(f"**{t('evidence.org')}**  \n{m['org_name']}")
    cols = st.columns(4)
    cols[0].markdown(f"**{t('evidence.notice')}**  \n{fmt_date(m.get('notice_sent_on'))}")
    minutes = m.get("minutes_no")
    cols[1].markdown(
        f"**{t('evidence.minutes')}**  \n{t('evidence.minutes_no', n=minutes) if minutes else t('evidence.no_minutes')}"
    )
    cols[2].markdown(f"**{t('evidence.duration')}**  \n{fmt_num(m.get('duration_hours'))} {t('evidence.hours_unit')}")
    cols[3].markdown(f"**{t('evidence.emergency')}**  \n{t('common.yes') if m.get('is_emergency') else t('common.no')}")

    roster = ev.roster
    counts = {s: roster.filter(pl.col("status") == s).height for s in ("present", "leave", "absent", "unrecorded")}
    entitled = roster.filter(pl.col("status") != "not_on_roster").height
    st.markdown(
        f"**{t('evidence.attendance')}**：{t('evidence.attendance_summary', entitled=entitled, present=counts['present'], leave=counts['leave'], absent=counts['absent'], unrecorded=counts['unrecorded'], rate=fmt_pct(counts['present'] / entitled if entitled else None))}"  # noqa: E501
    )
    focus = f.get("member_id")
    table = roster.with_columns(
        relabel("role", enum_labels("role")),
        relabel("status", _status_labels()),
        pl.when(pl.col("member_id") == (focus or "")).then(pl.lit(FOCUS)).otherwise(pl.lit("")).alias("focus"),
    )
    st.dataframe(
        widgets.labelled(
            table,
            [("focus", "col.focus"), ("member_id", "col.member_id"), ("name", "col.name"), ("role", "col.role"),
             ("status", "col.status"), ("hours", "col.hours"), ("written_opinion", "col.written_opinion")],
        ),
        hide_index=True, width="stretch",
    )  # fmt: skip

    if ev.items.height:
        st.markdown(f"**{t('evidence.items')}**")
        items = ev.items.with_columns(
            relabel("category", enum_labels("category")),
            relabel("decision", enum_labels("decision")),
            relabel("vote_method", enum_labels("vote_method")),
            pl.when(pl.col("votes_recorded") > 0)
            .then(pl.format("{}/{}/{}", "votes_yes", "votes_no", "votes_abstain"))
            .when(pl.col("yes_count").is_not_null())
            .then(pl.format("{}/{}/{}", "yes_count", "no_count", "abstain_count"))
            .otherwise(pl.lit("—"))
            .alias("tally"),
            pl.when(pl.col("item_id") == (f.get("item_id") or ""))
            .then(pl.lit(FOCUS))
            .otherwise(pl.lit(""))
            .alias("focus"),
        )
        st.dataframe(
            widgets.labelled(
                items,
                [("focus", "col.focus"), ("seq", "col.seq"), ("title", "col.item_title"),
                 ("category", "col.category"), ("ad_hoc", "col.ad_hoc"), ("decision", "col.decision"),
                 ("vote_method", "col.vote_method"), ("tally", "col.tally")],
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip
    if ev.votes.height:
        with st.expander(t("evidence.votes", n=ev.votes.height)):
            votes = ev.votes.with_columns(relabel("choice", enum_labels("choice")))
            st.dataframe(
                widgets.labelled(
                    votes,
                    [("item_id", "col.item_id"), ("member_id", "col.member_id"), ("name", "col.name"),
                     ("choice", "col.choice"), ("cast_order", "col.cast_order")],
                ),
                hide_index=True, width="stretch",
            )  # fmt: skip
    if ev.recusals.height:
        st.markdown(f"**{t('evidence.recusals')}**")
        st.dataframe(
            widgets.labelled(
                ev.recusals,
                [("item_id", "col.item_id"), ("member_id", "col.member_id"), ("name", "col.name"),
                 ("reason", "col.reason")],
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip


def _member_year(ev: queries.MemberYearEvidence) -> None:
    m = ev.member
    st.markdown(f"#### {t('evidence.member_year', name=m['name'], year=ev.year)}")
    cols = st.columns(4)
    cols[0].markdown(f"**{t('col.member_id')}**  \n{m['member_id']}")
    cols[1].markdown(f"**{t('col.role')}**  \n{enum_label('role', m['role'])}")
    cols[2].markdown(f"**{t('evidence.org')}**  \n{m['org_name']}")
    left = fmt_date(m.get("left_on")) if m.get("left_on") else t("evidence.still_member")
    cols[3].markdown(f"**{t('evidence.membership')}**  \n{fmt_date(m['joined_on'])} – {left}")
    a = ev.attendance
    if a:
        total = a.get("study_hours_total") or 0
        attended = a.get("study_hours_attended") or 0
        cols = st.columns(4)
        cols[0].metric(t("evidence.study_attended"), f"{fmt_num(attended)} {t('evidence.hours_unit')}")
        cols[1].metric(t("evidence.study_total"), f"{fmt_num(total)} {t('evidence.hours_unit')}")
        cols[2].metric(t("evidence.study_share"), fmt_pct(attended / total if total else None))
        cols[3].metric(
            t("evidence.meetings_attended"),
            f"{a.get('present', 0)}/{a.get('entitled', 0)}",
            help=t("evidence.meetings_attended_help", leave=a.get("on_leave", 0), absent=a.get("absent", 0)),
        )
    if ev.study_meetings.height:
        st.markdown(f"**{t('evidence.study_meetings')}**")
        study = ev.study_meetings.with_columns(relabel("status", _status_labels()))
        st.dataframe(
            widgets.labelled(
                study,
                [("held_on", "col.held_on"), ("title", "col.title"), ("duration_hours", "col.duration"),
                 ("status", "col.status"), ("hours_attended", "col.hours")],
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip
    st.markdown(f"**{t('evidence.activities')}**")
    if ev.activities.height:
        acts = ev.activities.with_columns(relabel("kind", enum_labels("activity_kind")))
        summary = acts.group_by("kind").agg(pl.col("quantity").sum()).sort("kind")
        st.caption(" · ".join(f"{k} {fmt_num(q)}" for k, q in summary.iter_rows()))
        st.dataframe(
            widgets.labelled(
                acts,
                [("on_date", "col.date"), ("kind", "col.activity_kind"), ("quantity", "col.quantity"),
                 ("counterpart_name", "col.counterpart")],
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip
    else:
        st.caption(t("evidence.no_activities"))


def _rectification(ev: queries.RectificationEvidence, as_of: Any) -> None:
    r = ev.rectification
    st.markdown(f"#### {t('evidence.rectification')}：{r['rect_id']}")
    if r.get("description"):
        st.markdown(f"> {r['description']}")
    cols = st.columns(4)
    cols[0].markdown(f"**{t('evidence.source')}**  \n{enum_label('source', r['source'])}")
    cols[1].markdown(f"**{t('evidence.found_on')}**  \n{fmt_date(r['found_on'])}")
    cols[2].markdown(f"**{t('evidence.owner')}**  \n{r.get('owner_name') or r.get('owner_id') or '—'}")
    cols[3].markdown(f"**{t('evidence.org')}**  \n{r['org_name']}")
    cols = st.columns(4)
    cols[0].markdown(f"**{t('evidence.measures_on')}**  \n{fmt_date(r.get('measures_on'))}")
    cols[1].markdown(f"**{t('evidence.report_on')}**  \n{fmt_date(r.get('report_on'))}")
    cols[2].markdown(f"**{t('evidence.due_on')}**  \n{fmt_date(r.get('due_on'))}")
    closed = r.get("closed_on")
    cols[3].markdown(f"**{t('evidence.closed_on')}**  \n{fmt_date(closed) if closed else t('evidence.still_open')}")
    if r.get("source_meeting_id"):
        st.caption(
            t(
                "evidence.source_meeting",
                title=r.get("source_meeting_title") or r["source_meeting_id"],
                date=fmt_date(r.get("source_meeting_held_on")),
            )
        )


def _org_period(ev: queries.OrgPeriodEvidence) -> None:
    st.markdown(f"#### {t('evidence.org_period', org=ev.org['name'], start=fmt_date(ev.start), end=fmt_date(ev.end))}")
    if ev.meetings.height == 0:
        st.warning(t("evidence.no_meetings"))
    else:
        meetings = ev.meetings.with_columns(relabel("kind", enum_labels("meeting_kind")))
        st.dataframe(
            widgets.labelled(
                meetings,
                [("held_on", "col.held_on"), ("kind", "col.kind"), ("title", "col.title"),
                 ("minutes_no", "col.minutes_no"), ("entitled", "col.entitled"), ("present", "col.present"),
                 ("on_leave", "col.on_leave"), ("absent", "col.absent")],
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip
    if ev.reports.height:
        st.markdown(f"**{t('evidence.reports')}**")
        reports = ev.reports.with_columns(relabel("kind", enum_labels("report_kind")))
        st.dataframe(
            widgets.labelled(
                reports,
                [("report_id", "col.report_id"), ("kind", "col.kind"), ("period_year", "col.period_year"),
                 ("submitted_on", "col.submitted_on")],
            ),
            hide_index=True, width="stretch",
        )  # fmt: skip


# -- marking ----------------------------------------------------------------------------------------------------------
def _mark_form(f: dict[str, Any]) -> None:
    st.markdown(f"#### {t('mark.title')}")
    current = f.get("mark") or "unmarked"
    if current != "unmarked":
        by = f.get("marked_by") or "—"
        stamp = f.get("marked_at")
        st.caption(
            t("mark.current", mark=t(f"mark.{current}"), by=by, at=str(stamp)[:16] if stamp else "—")
            + (f" · {t('mark.reason')}：{f['mark_reason']}" if f.get("mark_reason") else "")
        )
    # Widget keys carry the finding, so a form never shows another finding's unsaved choice.
    suffix = f"{f['rule_id']}|{f['subject_key']}"
    with st.form(f"mark_{suffix}", border=True):
        choice = st.radio(
            t("mark.choice"),
            list(queries.MARKS),
            index=list(queries.MARKS).index(current),
            format_func={m: t(f"mark.{m}") for m in queries.MARKS}.get,
            horizontal=True,
            key=f"mark_choice_{suffix}",
        )
        reason = st.text_area(
            t("mark.reason"), value=f.get("mark_reason") or "", key=f"mark_reason_{suffix}", help=t("mark.reason_help")
        )
        who = st.text_input(t("mark.by"), value=st.session_state.get("inspector_name", ""), key=f"mark_by_{suffix}")
        saved = st.form_submit_button(t("mark.save"), type="primary", icon=":material/save:")
    if saved:
        store = state.session_store()
        st.session_state["inspector_name"] = who
        try:
            if choice == "unmarked":
                marks.clear_mark(store, f["rule_id"], f["subject_key"])
            else:
                marks.set_mark(store, f["rule_id"], f["subject_key"], choice, reason=reason, marked_by=who or None)
        except marks.MarkError as exc:
            st.error(exc.zh if state.current_lang() == "zh" else exc.en)
            return
        st.session_state["_flash"] = t("mark.saved", mark=t(f"mark.{choice}"))
        st.rerun()


def _detail(store: Any, view: state.View, f: dict[str, Any]) -> None:
    name = f["rule_name_zh"] if view.lang == "zh" else f["rule_name_en"]
    message = f["message_zh"] if view.lang == "zh" else f["message_en"]
    st.subheader(f"{f['rule_id']} {name or ''}")
    st.badge(
        t(f"severity.{f['severity']}"),
        color={"violation": "red", "warning": "orange"}.get(f["severity"], "gray"),
    )
    # The finding's message as a quote, not an st.error box: error boxes are kept for what went wrong in the app.
    colour = {"violation": "red", "warning": "orange"}.get(f["severity"], "gray")
    st.markdown(f"> :{colour}[**{message or ''}**]")
    if f.get("citation_zh"):
        st.markdown(f"**{t('findings.citation')}**：{f['citation_zh']}")
    else:
        st.caption(t("findings.no_citation"))
    st.caption(
        t(
            "findings.subject_line",
            subject=f["subject_key"],
            org=f["org_name"] or f["org_id"],
            period=fmt_finding_period(f.get("period")),
        )
    )
    facts = queries.evidence_items(f.get("evidence"))
    if facts:
        with st.expander(t("findings.evidence_numbers"), expanded=False):
            st.dataframe(
                pl.DataFrame(facts, schema=[t("col.item"), t("col.value")], orient="row"),
                hide_index=True,
                width="content",
            )
    evidence = queries.finding_evidence(store, f)
    if isinstance(evidence, queries.MeetingEvidence):
        _meeting(evidence, f)
    elif isinstance(evidence, queries.MemberYearEvidence):
        _member_year(evidence)
    elif isinstance(evidence, queries.RectificationEvidence):
        _rectification(evidence, view.as_of)
    elif isinstance(evidence, queries.OrgPeriodEvidence):
        _org_period(evidence)
    else:
        st.caption(t("evidence.none"))
    _mark_form(f)


def render() -> None:
    view = state.view()
    store = state.session_store()
    widgets.header("findings.title", view)
    widgets.run_banner(view, offer_link=False)
    skipped = widgets.skipped_rules(view.run)
    if skipped:
        with st.expander(t("findings.skipped", n=len(skipped))):
            for rule_id, reason in sorted(skipped.items()):
                lines = reason.splitlines()
                text = lines[0] if view.lang == "zh" or len(lines) < 2 else lines[1]
                st.markdown(f"- **{rule_id}**：{text}")
    _run_check(view)
    if view.run is None:
        return

    base = FindingFilter(org_id=view.org_id, period=view.period)
    facets = queries.finding_facets(store, view.run_id, base, as_of=view.as_of)
    flt = _filters(view, facets)
    page_no = st.session_state.get("f_page", 1)
    rows = queries.findings(
        store, view.run_id, flt, as_of=view.as_of, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE
    )
    if rows.height == 0 and page_no > 1:
        # The filters changed under a later page: back to the first.
        st.session_state["f_page"] = 1
        rows = queries.findings(store, view.run_id, flt, as_of=view.as_of, limit=PAGE_SIZE)
    total = int(rows["total"][0]) if rows.height else 0
    counts = facets["counts"]
    in_scope = int(counts["n"].sum() or 0) if counts.height else 0
    head, export_col = st.columns([4, 1], vertical_alignment="center")
    head.markdown(t("findings.count", shown=fmt_int(total), total=fmt_int(in_scope)))
    if total == 0:
        st.info(t("findings.none_match"))
        return
    with export_col:
        if st.button(t("findings.export"), icon=":material/download:", key="f_export"):
            export = queries.findings_export(store, view.run_id, flt, as_of=view.as_of)
            st.download_button(
                t("findings.export_ready", n=fmt_int(export.height)),
                data=state.download_csv(export),
                file_name=f"findings-{view.as_of.isoformat()}.csv",
                mime="text/csv",
                key="f_export_dl",
                on_click="ignore",
            )

    keys = [_key(r) for r in rows.select("rule_id", "subject_key").iter_rows(named=True)]
    st.session_state["_f_keys"] = keys
    st.dataframe(
        _table(rows, view.lang),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(keys), 420),
        on_select=_on_table_select,
        selection_mode="single-row",
        key="f_table",
    )
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if pages > 1:
        st.number_input(t("findings.page", pages=pages), min_value=1, max_value=pages, key="f_page", step=1)

    labels = {
        k: f"{r['rule_id']} · {r['subject_key']} · {r['org_name'] or ''}"
        for k, r in zip(keys, rows.iter_rows(named=True), strict=True)
    }
    if st.session_state.get("f_pick") not in labels:
        st.session_state["f_pick"] = None
    pick = st.selectbox(
        t("findings.pick"), keys, format_func=labels.get, key="f_pick", index=None,
        placeholder=t("findings.pick_placeholder"),
    )  # fmt: skip
    if pick is None:
        st.caption(t("findings.pick_hint"))
        return
    rule_id, subject_key = pick.split("|", 1)
    chosen = queries.finding(store, view.run_id, rule_id, subject_key)  # type: ignore[arg-type]
    if chosen is None:
        return
    st.divider()
    _detail(store, view, chosen)


if __name__ == "__main__":
    render()
