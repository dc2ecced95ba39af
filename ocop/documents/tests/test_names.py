import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ocop.documents.models import KIND_EXTENSIONS
from ocop.documents.names import MAX_LENGTH, extension_of, safe_name

EXTENSIONS = sorted({e for extensions in KIND_EXTENSIONS.values() for e in extensions})


@given(name=st.text(), extension=st.sampled_from(EXTENSIONS))
def test_any_text_gives_a_safe_name(name, extension):
    result = safe_name(name, extension=extension)
    assert result
    assert "/" not in result and "\\" not in result
    assert not result.startswith(".") and not result.startswith(" ")
    assert len(result) <= min(MAX_LENGTH, 255)
    assert result.endswith(f".{extension}")
    assert result.rpartition(".")[0]  # never just ".pdf"
    assert all(c.isprintable() or c == " " for c in result)


@given(name=st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1))
def test_vietnamese_and_other_letters_are_kept(name):
    stem = " ".join(name.split()).strip(". ")
    if stem and len(stem) < 100:
        assert safe_name(name, extension="pdf") == unicodedata.normalize("NFC", stem) + ".pdf"


def test_examples():
    assert safe_name("Đơn đăng ký sản phẩm OCOP.PDF", extension="pdf") == (
        "Đơn đăng ký sản phẩm OCOP.pdf"
    )
    assert safe_name("../../etc/passwd.pdf", extension="pdf") == "passwd.pdf"
    assert safe_name("C:\\Windows\\x.pdf", extension="pdf") == "x.pdf"
    assert safe_name("", extension="png") == "document.png"
    assert safe_name("a" * 400 + ".pdf", extension="pdf") == "a" * (MAX_LENGTH - 4) + ".pdf"
    assert extension_of("Báo cáo v1.2") == ""
    assert extension_of("scan.JPG") == "jpg"
    assert extension_of(".pdf") == ""
