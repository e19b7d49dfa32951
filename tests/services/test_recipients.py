"""Recipients: namesakes, removal and renaming, CSV import of real exports, hostile names."""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from barium.errors import Conflict, InputError, NotFound
from barium.services import Barium
from barium.services.issuing import _slug
from barium.services.recipients import parse_recipients_csv
from barium.store import Recipient
from barium.text.names import MAX_NAME, mixed_script, name_key, name_problem


def stored(b: Barium) -> int:
    with b.ws.db.session() as s:
        return s.scalar(select(func.count()).select_from(Recipient)) or 0


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "staff.csv"
    path.write_bytes(text.encode(encoding))
    return path


# --- namesakes and confusable names -----------------------------------------------------


def test_namesakes_with_different_emails_are_two_recipients(barium: Barium) -> None:
    a = barium.recipients.add("John Smith", email="john.smith@a.example")
    b = barium.recipients.add("John Smith", email="john.smith@b.example")
    assert a.id != b.id and a.uid != b.uid
    assert [r.email for r in barium.recipients.list()] == ["john.smith@a.example", "john.smith@b.example"]


def test_a_csv_with_two_john_smiths_imports_both(barium: Barium, tmp_path: Path) -> None:
    path = write(tmp_path, "name,email\nJohn Smith,js1@example.org\nJohn Smith,js2@example.org\n")
    assert [r.email for r in barium.recipients.import_csv(path)] == ["js1@example.org", "js2@example.org"]


@pytest.mark.parametrize(
    "twin",
    [
        "Same Name",
        "SAME NAME",
        "same   name",
        "\uff33\uff41\uff4d\uff45 \uff2e\uff41\uff4d\uff45",  # fullwidth
        "Sa\u200bme Na\u200dme",  # zero-width space and joiner
        "Same\ufe0f Name",  # a variation selector
        "Sa\u00adme Name",  # a soft hyphen
        "\U0001d5b2ame Name",  # mathematical sans-serif S (a compatibility form)
    ],
)
def test_confusable_twins_of_a_name_are_the_same_name(barium: Barium, twin: str) -> None:
    barium.recipients.add("Same Name")
    with pytest.raises(Conflict, match="already exists"):
        barium.recipients.add(twin)
    assert name_key(twin) == name_key("Same Name")


def test_a_fullwidth_twin_with_an_email_of_its_own_is_a_namesake(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Memo")
    barium.recipients.add("Same Name", email="one@example.org")
    twin = barium.recipients.add("\uff33\uff41\uff4d\uff45 \uff2e\uff41\uff4d\uff45", email="two@example.org")
    assert twin.name == "\uff33\uff41\uff4d\uff45 \uff2e\uff41\uff4d\uff45"  # kept as typed
    with pytest.raises(InputError, match="names 2 recipients"):
        barium.issuing.issue(doc.id, to=["same name"])


def test_the_same_name_without_an_email_twice_in_a_csv_is_a_duplicate(barium: Barium, tmp_path: Path) -> None:
    path = write(tmp_path, "name,email\nSame Name,\nOther,o@example.org\n\uff33\uff41\uff4d\uff45 Name,\n")
    with pytest.raises(Conflict, match=r"line 4: duplicate recipient .* \(also on line 2\)"):
        barium.recipients.import_csv(path)
    assert stored(barium) == 0


def test_a_namesake_of_someone_without_an_email_is_refused(barium: Barium) -> None:
    barium.recipients.add("Jane Roe")
    with pytest.raises(Conflict, match="no e-mail address"):
        barium.recipients.add("jane roe", email="jane@example.org")


def test_an_email_twin_differing_by_width_or_an_invisible_character_is_refused(barium: Barium) -> None:
    barium.recipients.add("Jane Roe", email="jane@example.org")
    with pytest.raises(Conflict):
        barium.recipients.add("Jane Roe", email="\uff4aane@example.org")  # fullwidth j
    # Invisible as text.invisible defines it: format characters, and also variation
    # selectors, the combining grapheme joiner and Hangul fillers (not category Cf).
    for hidden in ("\u200b", "\ufe0f", "\u034f", "\u3164"):
        with pytest.raises(InputError, match="not an e-mail address"):
            barium.recipients.add("Jane Roe", email=f"ja{hidden}ne@example.org")


def test_a_reference_to_namesakes_is_refused_listing_their_emails_and_ids(barium: Barium, memo: Path) -> None:
    doc = barium.documents.add(memo, title="Memo")
    a = barium.recipients.add("John Smith", email="js@a.example")
    b = barium.recipients.add("John Smith", email="js@b.example")
    with pytest.raises(InputError) as refused:
        barium.issuing.issue(doc.id, to=["john smith"])
    message = refused.value.message
    assert f"id {a.id} <js@a.example>" in message and f"id {b.id} <js@b.example>" in message
    assert "e-mail address or the id" in message
    with pytest.raises(InputError, match="names 2 recipients"):
        barium.recipients.remove("JOHN SMITH")
    # The e-mail or the id names one of them.
    assert [c.recipient.id for c in barium.issuing.issue(doc.id, to=["JS@B.example", str(a.id)]).copies] == [b.id, a.id]


def test_a_number_that_is_both_a_name_and_another_recipients_id_is_refused(barium: Barium) -> None:
    first = barium.recipients.add("Ann Lee", email="ann@example.org")
    barium.recipients.add(str(first.id), email="digits@example.org")
    with pytest.raises(InputError, match="give the e-mail address"):
        barium.recipients.remove(str(first.id))
    assert barium.recipients.remove("ann@example.org").id == first.id


def test_a_twin_of_a_name_stored_under_an_older_key_is_still_the_same_name(barium: Barium) -> None:
    with barium.ws.db.session() as s:
        # What the previous release stored: the key was only case-folded.
        s.add(Recipient(name="\uff33\uff41\uff4d\uff45 Name", name_key="\uff53\uff41\uff4d\uff45 name", extra="{}"))
    with pytest.raises(Conflict, match="already exists"):
        barium.recipients.add("Same Name")
    assert barium.recipients.remove("same name").name == "\uff33\uff41\uff4d\uff45 Name"


# --- remove, restore, rename ------------------------------------------------------------


def test_a_removed_recipient_keeps_their_history_gets_no_new_copies_and_is_still_traced(
    barium: Barium, memo: Path
) -> None:
    doc = barium.documents.add(memo, title="Memo")
    alice = barium.recipients.add("Alice Ames", email="alice@example.org")
    for i in range(4):
        barium.recipients.add(f"Person {i}", email=f"p{i}@example.org")
    copies = {c.recipient.id: c for c in barium.issuing.issue(doc.id, all_recipients=True).copies}

    removed = barium.recipients.remove("alice@example.org")
    assert removed.removed and removed.uid == alice.uid

    assert alice.id not in [r.id for r in barium.recipients.list()]
    assert [r.id for r in barium.recipients.list(include_removed=True) if r.removed] == [alice.id]
    assert alice.id not in [c.recipient.id for c in barium.issuing.issue(doc.id, all_recipients=True).copies]
    with pytest.raises(NotFound, match="was removed"):
        barium.issuing.issue(doc.id, to=["Alice Ames"])
    history = [r for r in barium.issuing.issued(doc.id) if r.email == "alice@example.org"]
    assert len(history) == 1 and history[0].removed

    result = barium.tracing.trace(copies[alice.id].text)
    assert result.verdict == "identified"
    assert [a.recipient for a in result.accused] == ["Alice Ames"]

    # Their e-mail still names them: nobody else can take it while their copies exist.
    with pytest.raises(Conflict, match="was removed"):
        barium.recipients.add("Someone Else", email="Alice@Example.org")
    assert not barium.recipients.restore("Alice Ames").removed
    assert barium.issuing.issue(doc.id, to=["alice@example.org"]).copies[0].sha256 == copies[alice.id].sha256


def test_a_renamed_recipient_keeps_their_code_and_their_copies_trace_to_the_new_name(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Memo")
    bob = barium.recipients.add("Bob Brwon", email="bob@example.org")
    for i in range(4):
        barium.recipients.add(f"Person {i}", email=f"p{i}@example.org")
    out = tmp_path / "copies"
    before = barium.issuing.issue(doc.id, to=["bob@example.org"], out=out).copies[0]

    renamed = barium.recipients.rename("Bob Brwon", "Bob Brown")
    assert (renamed.id, renamed.uid, renamed.email, renamed.name) == (bob.id, bob.uid, bob.email, "Bob Brown")
    # The same copy, issued again into the same folder: the manifest's row under
    # the old name is theirs, not a collision with someone else's copy.
    again = barium.issuing.issue(doc.id, to=["Bob Brown"], out=out).copies[0]
    assert again.sha256 == before.sha256
    assert [a.recipient for a in barium.tracing.trace(before.text).accused] == ["Bob Brown"]
    assert barium.issuing.issued(doc.id)[0].recipient == "Bob Brown"


def test_renaming_into_a_namesake_that_could_not_be_told_apart_is_refused(barium: Barium) -> None:
    barium.recipients.add("Carol King")
    barium.recipients.add("Carol Kng", email="carol@example.org")
    dave = barium.recipients.add("Dave Kent")
    with pytest.raises(Conflict, match="already exists"):
        barium.recipients.rename("carol@example.org", "CAROL KING")
    with pytest.raises(Conflict, match="already exists"):
        barium.recipients.rename(str(dave.id), "Carol King")
    with pytest.raises(InputError, match="control character"):
        barium.recipients.rename("Dave Kent", "Dave\x1b[8mKent")
    assert [r.name for r in barium.recipients.list()] == ["Carol King", "Carol Kng", "Dave Kent"]


# --- hostile names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Eve\nAdams", "line break"),
        ("Eve\rAdams", "line break"),
        ("Eve\u2028Adams", "line break"),
        ("Eve\x1b[31mAdams", "control character"),
        ("Eve\x1b]8;;http://x.example\x07Adams", "control character"),
        ("Eve\x00Adams", "control character"),
        ("Eve\x7fAdams", "control character"),
        ("Eve\x9bAdams", "control character"),  # C1 CSI
        ("Eve\tAdams", "control character"),
        *((f"Eve {chr(c)}smadA", "bidi control") for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))),
        ("Eve\u200fAdams", "bidi control"),
    ],
)
def test_names_with_control_characters_or_bidi_controls_are_refused(barium: Barium, name: str, why: str) -> None:
    with pytest.raises(InputError, match=why) as refused:
        barium.recipients.add(name)
    # The message quotes the name escaped, never the raw character.
    assert not name_problem(refused.value.message)
    assert stored(barium) == 0


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("\u0408ohn Smith", None),  # Cyrillic Je for J
        ("John Sm\u0456th", None),  # Cyrillic i
        ("J\u03bfhn Smith", None),  # Greek omicron
        ("John Smith", "\u0458s@example.org"),  # the address of a look-alike namesake
    ],
)
def test_a_look_alike_mixing_scripts_in_a_word_is_refused(barium: Barium, name: str, email: str | None) -> None:
    barium.recipients.add("John Smith", email="js@example.org")
    with pytest.raises(InputError, match=r"mixes|not an e-mail"):
        barium.recipients.add(name, email=email or "other@example.org")
    assert stored(barium) == 1


def test_names_wholly_in_one_script_or_mixing_scripts_without_look_alikes_are_kept(barium: Barium) -> None:
    names = [
        "Иван Петров",
        "Ἀλέξανδρος Παπαδόπουλος",
        "山田 太郎",
        "やまだ たろう",
        "Nguyễn Thị Minh Khai",
        "Zoë O\u2019Brien",
    ]
    for i, name in enumerate(names):
        barium.recipients.add(name, email=f"p{i}@example.org")
    assert [r.name for r in barium.recipients.list()] == names


def test_a_hostile_name_in_a_csv_is_refused_with_its_line(barium: Barium, tmp_path: Path) -> None:
    path = write(tmp_path, 'name,email\nAnn Lee,ann@example.org\n"Eve\x1b[2J",eve@example.org\n')
    with pytest.raises(InputError, match=r"staff\.csv, line 3: the name field contains a control character"):
        barium.recipients.import_csv(path)
    path = write(tmp_path, "name,email\nAnn Lee,ann@example.org\nEve \u202eAdams,eve@example.org\n")
    with pytest.raises(InputError, match=r"line 3: .*bidi control \(U\+202E\)"):
        barium.recipients.import_csv(path)
    assert stored(barium) == 0


def test_a_name_that_is_a_spreadsheet_formula_is_written_inert_in_the_manifest(
    barium: Barium, memo: Path, tmp_path: Path
) -> None:
    doc = barium.documents.add(memo, title="Memo")
    barium.recipients.add("=cmd|' /C calc'!A0", email="+tag@example.org")
    barium.recipients.add("@SUM(1+1)", email="-x@example.org")
    out = tmp_path / "copies"
    barium.issuing.issue(doc.id, all_recipients=True, out=out)
    # Issued again into the same folder: their own rows are recognised as theirs.
    barium.issuing.issue(doc.id, all_recipients=True, out=out)
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    assert len(rows) == 4
    for row in rows:
        for key in ("recipient", "email", "file"):
            assert not row[key].startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert {row["recipient"] for row in rows} == {"'=cmd|' /C calc'!A0", "'@SUM(1+1)"}


# --- reading CSV exports -----------------------------------------------------------------


@pytest.mark.parametrize("header", ["Email", "E-mail", "e-mail", "EMAIL", " email ", "E_Mail", "Email Address"])
def test_email_header_spellings_are_understood(barium: Barium, tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"Name,{header},Office\nAnn Lee,ann@example.org,Leeds\n")
    [ann] = barium.recipients.import_csv(path)
    assert (ann.name, ann.email, ann.extra) == ("Ann Lee", "ann@example.org", {"office": "Leeds"})


@pytest.mark.parametrize("header", ["Work email", "Email 2", "emails"])
def test_an_email_like_header_barium_does_not_know_is_refused(barium: Barium, tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"name,{header}\nAnn Lee,ann@example.org\n")
    with pytest.raises(InputError, match=r"line 1: is the column .* the e-mail address\? Call it 'email'"):
        barium.recipients.import_csv(path)
    assert stored(barium) == 0


def test_a_header_with_two_email_columns_is_refused(barium: Barium, tmp_path: Path) -> None:
    path = write(tmp_path, "name,email,E-mail\nAnn Lee,ann@example.org,ann@example.com\n")
    with pytest.raises(InputError, match="more than one 'email' column"):
        barium.recipients.import_csv(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name,email\nAnn Lee,ann@example.org\n"Bob Brown,bob@example.org\nCid Cole,cid@example.org\n', "line 3"),
        ('name,email\nAnn Lee,ann@example.org\n"Bob" Brown,bob@example.org\n', "line 3: not valid CSV"),
        (
            'name,email,team\nAnn Lee,ann@example.org,"Sales\nBob Brown,bob@example.org,Ops\nCid,c@example.org,"\n',
            r"line 2: a field runs over 3 lines; is a quote unbalanced",
        ),
        ("name;email\nAnn Lee;ann@example.org\n", "line 1: .* separated by semicolons"),
        ("name\temail\nAnn Lee\tann@example.org\n", "line 1: .* separated by tabs"),
        ("name,email\nAnn Lee,ann@example.org\nBob Brown;bob@example.org\n", "line 3: 1 field .* semicolons"),
        ("name\nAnn Lee\nBob Brown;bob@example.org\n", "line 3: .* separated by semicolons"),
        ("name,email\nAnn Lee,ann@example.org,Leeds\n", r"line 2: 3 fields where the header has 2 \(name, email\)"),
        ("name,email\n\n\nAnn Lee\n", "line 4: 1 field where the header has 2"),
        ("name,email,\nAnn Lee,ann@example.org,x\n", "line 2: a value .* in a column with no header"),
        ("name,email\n,ann@example.org\n", "line 2: empty name"),
    ],
)
def test_a_malformed_csv_is_refused_with_its_line_and_nothing_is_stored(
    barium: Barium, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        barium.recipients.import_csv(write(tmp_path, text))
    assert stored(barium) == 0


def test_trailing_blank_header_columns_with_blank_values_are_ignored(barium: Barium, tmp_path: Path) -> None:
    path = write(tmp_path, "name,email,\nAnn Lee,ann@example.org,\n")
    assert [(r.name, r.extra) for r in barium.recipients.import_csv(path)] == [("Ann Lee", {})]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_csv_files_with_a_byte_order_mark_are_decoded(barium: Barium, tmp_path: Path, encoding: str) -> None:
    text = "name,email\nZoë Ørsted,zoe@example.org\n李雷,li@example.org\n"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path = tmp_path / "staff.csv"
    path.write_bytes(bom + text.encode(encoding))
    assert [(r.name, r.email) for r in barium.recipients.import_csv(path)] == [
        ("Zoë Ørsted", "zoe@example.org"),
        ("李雷", "li@example.org"),
    ]


def test_a_broken_utf16_file_is_refused_clearly(barium: Barium, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "name\nAnn\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(InputError, match="not valid UTF-16"):
        barium.recipients.import_csv(path)


def test_utf16_without_a_byte_order_mark_is_refused_by_name(barium: Barium, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes("name,email\nAnn Lee,ann@example.org\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark"):
        barium.recipients.import_csv(path)


CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30)


@given(st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=20))
@settings(max_examples=300)
def test_any_table_written_as_csv_reads_back_cell_for_cell(table: list[tuple[str, str, str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([("name", "email", "office"), *table])
    kept = [tuple(c.strip() for c in row) for row in table if any(c.strip() for c in row)]
    try:
        rows = parse_recipients_csv(buf.getvalue(), "t.csv")
    except InputError as refused:
        bidi = any(name_problem(c) for row in table for c in row)
        assert bidi or "empty name" in refused.message or not kept, refused.message
        return
    assert [(r.name, r.email or "", r.extra.get("office", "")) for r in rows] == kept


@given(st.text(max_size=300))
@settings(max_examples=500)
def test_any_text_is_read_as_rows_or_refused_with_a_message(text: str) -> None:
    try:
        rows = parse_recipients_csv(text, "t.csv")
    except InputError as refused:
        assert refused.message.startswith("t.csv")
        return
    assert all(r.name and r.line for r in rows)


# --- no name places a copy outside --out ---------------------------------------------------

HOSTILE = ["../", "..", "/", "\\", "\x00", "~", "C:\\", "%2e%2e%2f", ".", "\u202e", "\uff0e\uff0e\uff0f", "ﷺ", " "]
# Path-like fragments a name may legally hold (no control character), so that most examples are issued.
PATHLIKE = [
    "../",
    "..",
    "/",
    "\\",
    "~",
    "C:\\",
    "%2e%2e%2f",
    ".",
    "\uff0e\uff0e\uff0f",
    "\u2215",
    "\u2044",
    "CON",
    "nul",
]
NAMES = st.one_of(
    st.text(max_size=MAX_NAME + 20),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=80).map("".join),
    st.lists(st.sampled_from([*PATHLIKE, "Ann", "é", "李", "ﷺ", " ", "-", "_"]), min_size=1, max_size=120).map("".join),
)


@given(NAMES)
@settings(max_examples=500)
def test_the_file_name_part_of_any_name_is_plain_ascii(name: str) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", _slug(name))
    assert len(_slug(name)) <= 60


@pytest.fixture(scope="module")
def workspace_with_a_memo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Barium]:
    home = tmp_path_factory.mktemp("names")
    with Barium.init(home / "ws") as b:
        b.documents.add(Path(__file__).parents[1] / "fixtures" / "memo.txt", title="Memo")
        yield b


@given(name=NAMES)
@settings(max_examples=100)
def test_no_name_places_a_copy_outside_the_out_folder(
    workspace_with_a_memo: Barium, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    b = workspace_with_a_memo
    email = f"p{stored(b)}@example.org"
    try:
        b.recipients.add(name, email=email)
    except InputError:
        # Refused only for a reason the rules give: a forbidden character, no name, too long.
        assert (
            name_problem(name)
            or mixed_script(name)
            or not name_key(name)
            or len(name_key(" ".join(name.split()))) > MAX_NAME
        )
        return
    root = tmp_path_factory.mktemp("issue")
    out = root / "copies"
    [copy] = b.issuing.issue(1, to=[email], out=out).copies
    assert copy.file is not None and "/" not in copy.file and "\x00" not in copy.file
    assert sorted(p.name for p in root.iterdir()) == ["copies"]
    assert sorted(p.name for p in out.iterdir()) == sorted([copy.file, "manifest.csv"])
    assert all(p.is_file() and p.parent == out for p in out.iterdir())


# --- the namesake rule holds against a concurrent writer (PostgreSQL) ------------------------

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_home(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    schema = f"barium_rcpt_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL must run at 127.0.0.1:5432 for this test: {exc.orig}")
    url = f"{PG}?options=-csearch_path%3D{schema}"
    home = tmp_path / "ws"
    home.mkdir()
    (home / "barium.toml").write_text(f'database_url = "{url}"\n')
    Barium.init(home).close()
    yield home, url
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_a_namesake_added_while_another_writer_adds_the_same_name_is_refused_on_postgresql(
    pg_home: tuple[Path, str],
) -> None:
    home, url = pg_home
    other = create_engine(url)
    outcome: list[BaseException | None] = []
    with Barium.open(home) as b, other.connect() as conn:
        # Another writer has added "John Smith" (no e-mail) and not committed yet.
        conn.execute(
            text("INSERT INTO recipients (uid, name, name_key, extra, created_at) VALUES (:u, :n, :k, '{}', now())"),
            {"u": uuid.uuid4().hex, "n": "John Smith", "k": "john smith"},
        )

        def add() -> None:
            try:
                b.recipients.add("JOHN SMITH")
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        adder = threading.Thread(target=add)
        adder.start()
        # Wait until the add either finished (no lock: it could not see the other row)
        # or waits for the other writer's lock; only then let the other writer commit.
        probe = create_engine(url)
        with probe.connect() as watch:
            while adder.is_alive():
                waiting = watch.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
                if waiting:
                    break
                watch.rollback()
                adder.join(0.05)
        probe.dispose()
        conn.commit()
        adder.join()
    other.dispose()
    assert isinstance(outcome[0], Conflict), outcome
    with Barium.open(home) as b:
        assert [r.name for r in b.recipients.list()] == ["John Smith"]
