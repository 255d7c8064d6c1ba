"""Every string a person sees exists in Chinese, and the shipped catalogue is current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

import redress

PACKAGE = Path(redress.__file__).parent
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_catalogue_entry_is_translated_and_not_fuzzy() -> None:
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert not catalogue.metadata_is_fuzzy


def test_compiled_catalogue_matches_the_source() -> None:
    source = {(e.msgid, e.msgstr or repr(e.msgstr_plural)) for e in polib.pofile(str(PO))}
    compiled = {(e.msgid, e.msgstr or repr(e.msgstr_plural)) for e in polib.mofile(str(MO))}
    assert source - compiled == set(), "run: cd redress && redress compilemessages"


def test_catalogue_holds_every_string_in_the_code(tmp_path: Path) -> None:
    """Extract the strings afresh from a copy of the code and compare with the catalogue, so
    a new string that nobody translated fails here rather than showing up in English."""
    assert shutil.which("xgettext"), "install Debian's gettext package (scripts/test.sh does)"
    copy = tmp_path / "redress"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    po_copy = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po_copy.unlink()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location",
         "-i", "tests/*", "-i", "*/tests/*"],
        cwd=copy, check=True, capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "", "PATH": "/usr/bin:/bin"},
    )
    extracted = {e.msgid for e in polib.pofile(str(po_copy))}
    shipped = {e.msgid for e in polib.pofile(str(PO))}
    assert extracted - shipped == set(), "run makemessages and translate the new strings"


def test_pages_are_chinese_by_default_and_english_by_the_switch(client) -> None:
    page = client.get("/complain/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "告诉我们哪里出了问题" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/complain/"})
    page = client.get("/complain/")
    assert "Tell us what went wrong" in page.content.decode()
    assert "告诉我们哪里出了问题" not in page.content.decode()
