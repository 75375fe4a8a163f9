"""The product's exceptions: one root, a few kinds a user can act on.

Every message is written twice, in Chinese (the default UI language) and in
English, as whole sentences that name the thing at fault and say what to do.
"""

from __future__ import annotations


class ForecastError(Exception):
    """Root of every error the product raises on purpose."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def text(self, lang: str = "zh") -> str:
        """The message in the user's language ("zh" or "en")."""
        return self.en if lang == "en" else self.zh


class BadExtract(ForecastError):
    """An extract file was refused; `report` lists every problem found."""

    def __init__(self, zh: str, en: str, report: object | None = None) -> None:
        super().__init__(zh, en)
        self.report = report


class PermissionDenied(ForecastError):
    """The acting user's role or scope does not allow the action."""


class LockedHistory(ForecastError):
    """The action would change a snapshot, a locked baseline or the audit log."""


class NotFound(ForecastError):
    """A named deal, snapshot, user or request does not exist."""


class WorkflowError(ForecastError):
    """A step was asked for out of order (for example, execute before approve)."""
