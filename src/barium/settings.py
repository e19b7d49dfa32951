"""One settings source: packaged defaults, the workspace's ``barium.toml``, then
environment variables ``BARIUM_<NAME>``. Validated here, documented from ``SETTINGS``."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from barium.errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "load_settings"]

_CASE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    kind: type
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        str,
        "SQLAlchemy URL of the database; empty means SQLite barium.db in the workspace.",
    ),
    Setting(
        "max_false_accusation",
        float,
        "Accuse only when the false-accusation bound is at most this (eps); at most 1e-3 (weaker"
        " thresholds only for one trace, with --weak).",
    ),
    Setting(
        "max_candidate_bound",
        float,
        "List a recipient as a candidate (not accused) only when their bound is at most this.",
    ),
    Setting("colluders", int, "Largest coalition the decoders are built for (c)."),
    Setting("bias_cutoff", float, "Cutoff t of the arcsine bias density [t, 1-t]."),
    Setting("uniform_share", float, "Share of code positions with bias 1/2 (single-leaker power)."),
    Setting("repetition", float, "Code slots per code position: how often each position recurs."),
    Setting(
        "read_error",
        float,
        "Assumed chance that a site is misread, used by the single-leaker test.",
    ),
    Setting(
        "min_evidence_words",
        int,
        "Aligned words (in runs of 5+) before a leak counts as from a document; marks are read only"
        " inside an aligned passage of at least this many words.",
    ),
    Setting("max_document_bytes", int, "Masters larger than this many bytes are refused."),
    Setting(
        "max_leak_bytes",
        int,
        "Leaks over this many bytes are refused; scanned files and archive records over it skipped.",
    ),
    Setting("max_public_bytes", int, "Public texts larger than this many bytes are refused."),
    Setting("max_csv_bytes", int, "Recipient CSV files larger than this many bytes are refused."),
    Setting("max_archive_bytes", int, "Decompressed bytes read from one WARC or JSON Lines file, at most."),
    Setting("channels", list, "Channels that mark new documents, robust first."),
    Setting(
        "invisible_gaps",
        str,
        "Where invisible marks go in new documents: 'sentences' (at each sentence's end), 'clauses' (also after "
        "commas, semicolons, colons: a phrase search still works) or 'words' (between all words: breaks search).",
    ),
    Setting("paraphrase", bool, "Also look for paraphrased passages (loads a small embedding model) in scans."),
    Setting(
        "restated",
        bool,
        "Also alert on articles that restate a document in other words: they name its specifics and its canaries.",
    ),
    Setting("watch_host_interval", float, "Seconds between two requests to the same web host."),
    Setting("watch_max_bytes", int, "Largest response body (decoded) a watched source may send, and article text."),
    Setting(
        "case_referrals",
        list,
        "The steps a case is referred through, in order (names: lower case, digits, hyphens); a case opens, is "
        "referred along them, and closes with a finding.",
    ),
    Setting("case_skip_referrals", bool, "Whether a case may be referred past the next step of case_referrals."),
    Setting("case_findings", list, "The findings a case may close with."),
    Setting(
        "case_stage_days",
        int,
        "Days a case may stay open or at one referral step before it is overdue; 0: no deadline.",
    ),
    Setting(
        "case_two_person_rule",
        bool,
        "Name no one in a case until a second user, other than the one who traced it, approves the trace.",
    ),
    Setting("web_session_hours", int, "Hours a web login lasts before its user must log in again."),
    Setting(
        "web_login_attempts",
        int,
        "Wrong passwords in a row after which a web user is locked out for web_lockout_minutes.",
    ),
    Setting("web_lockout_minutes", int, "Minutes a web user stays locked out after too many wrong passwords."),
    Setting(
        "web_watch_private_hosts",
        bool,
        "Let web users watch sources on the server's own networks (loopback, private, link-local addresses);"
        " off, such sources are added on the server with `barium watch add`.",
    ),
    Setting(
        "web_job_threads",
        int,
        "Long jobs (issuing, scans, reports) each server process runs at once; queued jobs wait their turn.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    # Out of repr: the URL may hold the database password.
    database_url: str = field(repr=False)
    max_false_accusation: float
    max_candidate_bound: float
    colluders: int
    bias_cutoff: float
    uniform_share: float
    repetition: float
    read_error: float
    min_evidence_words: int
    max_document_bytes: int
    max_leak_bytes: int
    max_public_bytes: int
    max_csv_bytes: int
    max_archive_bytes: int
    channels: list[str]
    invisible_gaps: str
    paraphrase: bool
    restated: bool
    watch_host_interval: float
    watch_max_bytes: int
    case_referrals: list[str]
    case_skip_referrals: bool
    case_findings: list[str]
    case_stage_days: int
    case_two_person_rule: bool
    web_session_hours: int
    web_login_attempts: int
    web_lockout_minutes: int
    web_watch_private_hosts: bool
    web_job_threads: int

    def __post_init__(self) -> None:
        checks = [
            (
                0 < self.max_false_accusation <= 1e-3,
                "max_false_accusation must lie in (0, 1e-3]; a weaker threshold is for one trace (barium trace --weak)",
            ),
            (0 < self.max_candidate_bound < 1, "max_candidate_bound must lie in (0, 1)"),
            (1 <= self.colluders <= 10, "colluders must be between 1 and 10"),
            (0 < self.bias_cutoff < 0.5, "bias_cutoff must lie in (0, 0.5)"),
            (0 <= self.uniform_share <= 1, "uniform_share must lie in [0, 1]"),
            (self.repetition >= 1, "repetition must be at least 1"),
            (0 < self.read_error < 0.5, "read_error must lie in (0, 0.5)"),
            (self.min_evidence_words >= 1, "min_evidence_words must be positive"),
            (
                min(
                    self.max_document_bytes,
                    self.max_leak_bytes,
                    self.max_public_bytes,
                    self.max_csv_bytes,
                    self.max_archive_bytes,
                )
                > 0,
                "size caps must be positive",
            ),
            (self.watch_host_interval >= 0 and self.watch_max_bytes > 0, "watch limits must be positive"),
            (
                1 <= self.web_session_hours <= 24 * 30 and 1 <= self.web_login_attempts <= 100,
                "web_session_hours must lie in [1, 720] and web_login_attempts in [1, 100]",
            ),
            (
                self.web_lockout_minutes >= 1 and 1 <= self.web_job_threads <= 16,
                "web_lockout_minutes must be positive and web_job_threads in [1, 16]",
            ),
            (
                self.invisible_gaps in ("sentences", "clauses", "words"),
                "invisible_gaps must be 'sentences', 'clauses' or 'words'",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(f"invalid setting: {message}")
        self._check_channels()
        self._check_cases()

    def _check_cases(self) -> None:
        """A case's states are named from these: each must be a plain, distinct name."""
        for name, values in (("case_referrals", self.case_referrals), ("case_findings", self.case_findings)):
            bad = [v for v in values if not _CASE_NAME.fullmatch(v)]
            if bad:
                raise ConfigError(
                    f"invalid setting: {name} has {', '.join(map(repr, bad))}; use lower case, digits and hyphens"
                )
            if len(set(values)) != len(values):
                raise ConfigError(f"invalid setting: {name} names a step twice")
        if not self.case_findings:
            raise ConfigError("invalid setting: case_findings is empty, so no case could be closed")
        if self.case_stage_days < 0:
            raise ConfigError("invalid setting: case_stage_days must not be negative")

    def _check_channels(self) -> None:
        """A misspelt channel would otherwise issue copies without its marks."""
        from barium.channels import all_channels  # lazy: settings load before any channel is needed

        known = [c.name for c in all_channels()]
        if not self.channels:
            raise ConfigError(
                f"invalid setting: channels is empty, so copies would carry no marks; known: {', '.join(known)}"
            )
        unknown = [n for n in self.channels if n not in known]
        if unknown:
            raise ConfigError(
                f"invalid setting: unknown channel(s) {', '.join(map(repr, unknown))} in channels; "
                f"known: {', '.join(known)}"
            )

    def replace(self, **changes: Any) -> Settings:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    try:
        if setting.kind is list:
            if isinstance(value, str):
                return [v.strip() for v in value.split(",") if v.strip()]
            return [str(v) for v in value]
        if setting.kind is bool and isinstance(value, str):
            return value.lower() in {"1", "true", "yes", "on"}
        return setting.kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: {setting.name} must be a {setting.kind.__name__}, got {value!r}") from None


def load_settings(home: Path | None = None, *, environ: dict[str, str] | None = None) -> Settings:
    """Packaged defaults, then ``home/barium.toml``, then ``BARIUM_*`` variables."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = tomllib.loads(resources.files("barium").joinpath("defaults.toml").read_text("utf-8"))
    known = {s.name: s for s in SETTINGS}
    if home is not None and (home / "barium.toml").is_file():
        try:
            user = tomllib.loads((home / "barium.toml").read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{home / 'barium.toml'}: {exc}") from None
        for name, value in user.items():
            if name not in known:
                raise ConfigError(f"{home / 'barium.toml'}: unknown setting {name!r}")
            values[name] = _coerce(known[name], value, str(home / "barium.toml"))
    for setting in SETTINGS:
        raw = env.get(f"BARIUM_{setting.name.upper()}")
        if raw is not None:
            values[setting.name] = _coerce(setting, raw, f"BARIUM_{setting.name.upper()}")
    return Settings(**{s.name: _coerce(s, values[s.name], "defaults") for s in SETTINGS})


def settings_markdown() -> str:
    """docs/settings.md, generated from SETTINGS and the packaged defaults."""
    defaults = load_settings(None, environ={})
    lines = [
        "# Settings",
        "",
        "<!-- Generated by barium.settings.settings_markdown(); a test keeps it current. -->",
        "",
        "One source, three layers: the packaged `src/barium/defaults.toml`, then the workspace's",
        "`barium.toml` (in the `--home` folder), then environment variables `BARIUM_<NAME>` (upper case).",
        "Unknown names and invalid values are refused with a clear error.",
        "",
        "| name | default | environment variable | meaning |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | `{getattr(defaults, s.name)!r}` | `BARIUM_{s.name.upper()}` | {s.help} |")
    lines += [
        "",
        "Per-document switches (`barium doc add --disable-channel NAME --disable-rule ID`) are stored with",
        "the document version, as are the code parameters (`repetition`, `bias_cutoff`, `uniform_share`)",
        "in force when the version was registered: changing a setting later never changes issued copies.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_markdown(), end="")
