"""数据上传 Upload: validate an extract, read the full report, then load it."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from loaders import KINDS, load_file, validate
from loaders.extracts import EXTRACTS
from ui import data, errors, navigation, sidebar, tables
from ui import format as fmt
from ui.i18n import lang, t
from warehouse.errors import BadExtract, ForecastError

view = sidebar.current()
navigation.require_page(view.actor, "upload")
actor = view.actor
st.title(t("page.upload"))
st.caption(t("upload.caption"))

kind = st.selectbox(
    t("upload.kind"),
    KINDS,
    format_func=lambda k: f"{EXTRACTS[k].zh} · {k}",
    key="upload_kind",
)
# A loaded file leaves the uploader: the next round gets a fresh widget.
upload_round = st.session_state.setdefault("_upload_round", 0)
uploaded = st.file_uploader(
    t("upload.file"), type=["csv", "xlsx"], key=f"upload_file_{upload_round}"
)


def checked(name: str, content: bytes) -> object:
    """Validate the uploaded bytes once per file, kind and warehouse state."""
    key = ("_validation", kind, hashlib.sha256(content).hexdigest(), view.scope.version)
    if key not in st.session_state:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(content)
            with data.held() as wh:
                st.session_state[key] = validate(wh, kind, path, file_name=name)
    return st.session_state[key]


if uploaded is not None:
    content = uploaded.getvalue()
    with st.status(
        t("upload.validating", name=fmt.plain(uploaded.name)), expanded=True
    ) as status:
        validation = checked(uploaded.name, content)
        report = validation.report
        status.update(
            label=t("upload.validated", rows=validation.rows_read),
            state="complete" if report.ok else "error",
        )

    if validation.already_loaded is not None:
        st.info(t("upload.already", load_id=validation.already_loaded))
    if report.ok:
        st.success(
            t(
                "upload.ok",
                rows=validation.rows_read,
                counts=tables.counts(validation.counts),
            )
        )
    else:
        st.error(t("upload.refused", count=report.problem_count))
        tables.problems(report)

    st.markdown(f"**{t('upload.preview')}**")
    st.dataframe(validation.preview, hide_index=True, placeholder=fmt.MISSING)

    if st.button(t("upload.load"), type="primary", disabled=not report.ok):
        with st.status(
            t("upload.loading", name=fmt.plain(uploaded.name)), expanded=True
        ) as status:
            try:
                with tempfile.TemporaryDirectory() as folder, data.held() as wh:
                    path = Path(folder) / Path(uploaded.name).name
                    path.write_bytes(content)
                    result = load_file(
                        wh, kind, path, user_name=actor.name, file_name=uploaded.name
                    )
            except ForecastError as refused:
                # A file that changed meanwhile, or a warehouse that moved on
                # since the check: nothing was written; say why.
                status.update(label=t("upload.failed"), state="error")
                errors.show(refused)
                if isinstance(refused, BadExtract) and refused.report is not None:
                    tables.problems(refused.report)
                data.clear()
                st.stop()
            status.update(label=t("upload.done"), state="complete")
        data.clear()
        st.session_state["_upload_round"] = upload_round + 1
        errors.done(result.render(lang()))

st.subheader(t("upload.log"))
tables.show(
    data.load_log(view.scope),
    {
        "load_id": st.column_config.NumberColumn(t("upload.load_id"), format="%d"),
        "kind": st.column_config.TextColumn(t("upload.kind")),
        "file_name": st.column_config.TextColumn(t("upload.file_name")),
        "outcome": st.column_config.TextColumn(t("upload.outcome")),
        "rows_read": st.column_config.NumberColumn(t("upload.rows_read")),
        "rows_loaded": st.column_config.NumberColumn(t("upload.rows_loaded")),
        "problem_count": st.column_config.NumberColumn(t("upload.problems")),
        "user_name": st.column_config.TextColumn(t("upload.user")),
        "finished_at": fmt.datetime_column(t("upload.finished_at")),
        "sha256": st.column_config.TextColumn("SHA-256"),
    },
    status="outcome",
    status_kind="load_outcome",
    height=400,
)
