"""The whole story in a real browser (Debian's Chromium, driven by Playwright) against a real
server on loopback: a distributor uploads a master, issues copies and downloads them; an
investigator pastes a leak, traces it, opens a case from the result, refers it, closes it
and downloads the report; an auditor verifies the log; an admin adds a user and makes a token. A screenshot of each page goes to build/screenshots/."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from barium.access import Role
from barium.services import Barium
from barium.web import create_app
from tests.conftest import FIXTURES, add_people
from tests.web.browser import CHROMIUM, FLAGS, chromium_missing, serving
from tests.web.conftest import PASSWORD

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect, sync_playwright

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    missing = chromium_missing()
    if missing:
        pytest.fail(missing)  # never skipped: `make test` installs it
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Shots:
    def __init__(self, page: Page, prefix: str) -> None:
        self.page, self.prefix, self.n = page, prefix, 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(SHOTS / f"{self.prefix}-{self.n:02d}-{name}.png"), full_page=True)


def _log_in(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login?next=/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Dashboard")


@pytest.mark.slow
def test_the_whole_story_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    b = Barium.init(tmp_path / "ws")
    add_people(b, 8)
    b.users.add("dana", roles=[Role.DISTRIBUTOR.value], password=PASSWORD)
    b.users.add("ivan", roles=[Role.INVESTIGATOR.value], password=PASSWORD)
    b.users.add("aud", roles=[Role.AUDITOR.value], password=PASSWORD)
    b.users.add("root", roles=[Role.ADMIN.value], password=PASSWORD)
    errors: list[str] = []
    with serving(create_app(workspace=b.ws)) as base:
        # -- the distributor -----------------------------------------------------------
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        shot = Shots(page, "distributor")
        page.goto(f"{base}/login")
        shot("login")
        _log_in(page, base, "dana")
        shot("dashboard")
        page.click("nav >> text=Documents")
        page.set_input_files("input[name=file]", str(FIXTURES / "memo.txt"))
        page.fill("input[name=title]", "Monthly release")
        shot("documents")
        page.click("button:has-text('Register')")
        expect(page.locator("h1")).to_have_text("Monthly release")
        shot("document")
        page.check("input[name=all]")
        page.click("button:has-text('Issue')")
        expect(page.locator(".job")).to_contain_text("done", timeout=60_000)  # htmx follows the job
        shot("job")
        with page.expect_download() as download:
            page.click("text=Download copies-document-1-v1-job-1.zip")
        archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
        copies = sorted(n for n in archive.namelist() if n.endswith(".txt"))
        assert len(copies) == 8
        page.goto(f"{base}/documents/1/sites")
        shot("sites")
        page.goto(f"{base}/documents/1/issued")
        shot("issued")
        page.click("button:has-text('Log out')")
        expect(page).to_have_url(f"{base}/login")
        context.close()

        # -- the investigator ------------------------------------------------------------
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        shot = Shots(page, "investigator")
        _log_in(page, base, "ivan")
        page.click("nav >> text=Trace")
        leak = archive.read(copies[5]).decode()
        page.fill("textarea[name=text]", leak)
        page.click("button:has-text('Trace')")
        verdict = page.locator(".verdict h2")
        expect(verdict).to_have_text("Verdict: identified")
        expect(page.locator(".verdict")).to_contain_text("Person 005")
        shot("trace")
        page.click("button:has-text('Open a case with this leak')")
        expect(page.locator("h1")).to_contain_text("Leak of Monthly release")
        shot("case-opened")
        page.select_option("select[name=to]", index=0)
        page.fill("form[action$='/refer'] input[name=note]", "for professional responsibility")
        page.click("button:has-text('Refer')")
        expect(page.locator("main")).to_contain_text("professional-responsibility")
        shot("case-referred")
        page.select_option("select[name=finding]", "substantiated")
        page.click("button:has-text('Close the case')")
        expect(page.locator("main")).to_contain_text("substantiated")
        shot("case-closed")
        page.click("button:has-text('Make the report')")
        expect(page.locator(".job")).to_contain_text("done", timeout=120_000)
        shot("report-job")
        with page.expect_download() as download:
            page.click("text=Download case-1-report.pdf")
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        for where in ("/cases", "/alerts", "/watch", "/jobs", "/"):
            page.goto(f"{base}{where}")
            shot(where.strip("/") or "dashboard")
        context.close()

        # -- the auditor and the admin ---------------------------------------------------------
        context = browser.new_context()
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        shot = Shots(page, "auditor")
        _log_in(page, base, "aud")
        page.click("nav >> text=Audit log")
        shot("audit")
        page.click("button:has-text('Verify the whole log')")
        expect(page.locator("main")).to_contain_text("The audit log is intact", timeout=60_000)
        shot("verified")
        page.goto(f"{base}/cases/1")
        expect(page.locator("main")).to_contain_text("substantiated")
        assert page.locator("button:has-text('Refer')").count() == 0  # read only
        shot("case")
        context.close()
        context = browser.new_context()
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        shot = Shots(page, "admin")
        _log_in(page, base, "root")
        page.click("nav >> text=Users")
        page.fill("input[name=name]", "newbie")
        page.check("input[name=roles][value=auditor]")
        page.fill("form[action='/users'] input[name=password]", PASSWORD)
        page.fill("form[action='/users'] input[name=password2]", PASSWORD)
        shot("users")
        page.click("button:has-text('Add the user')")
        expect(page.locator("main")).to_contain_text("newbie")
        shot("user-added")
        page.goto(f"{base}/settings")
        shot("settings")
        page.goto(f"{base}/account")
        page.click("button:has-text('Make the token')")
        expect(page.locator(".note")).to_contain_text("shown this once")
        shot("account-token")
        context.close()
    assert errors == [], errors  # no CSP refusals, no missing files, no script errors
    assert b.audit.verify().intact
    taken = b.audit.entries(action="copy.download")
    assert len(taken) == 8 and {e.actor for e in taken} == {"dana"}  # each copy in the archive, on record
