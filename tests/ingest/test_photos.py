"""Photos are documents at ingest: stored like PDFs, with their content type and extension;
logos and pictures beside a PDF are not invoices."""

from __future__ import annotations

from email.message import EmailMessage

import httpx
import pytest
from sqlalchemy import select

from ingest.documents import image_type, pixel_size
from ingest.mime import parse_mail
from models.alias_invoices import AliasInvoice
from models.services import Services
from tests.conftest import Api
from tests.images import logo, photo
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs, send
from tests.pdfs import invoice_pdf


def mail_with(*attachments: tuple[str, bytes, str, str]) -> EmailMessage:
    """(filename, data, maintype, subtype) attachments after a plain-text body."""
    message = mail_with_pdfs("jane.doe@casapay.me", [])
    for filename, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def html_mail_with_inline(image: bytes, *, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    """An HTML mail showing `image` in place (cid:), as mail clients paste pictures and logos."""
    message = EmailMessage()
    message["From"] = "Northside Billing <billing@northside.example>"
    message["To"] = "jane.doe@casapay.me"
    message["Subject"] = "Your invoice"
    message.set_content("See below.")
    message.add_alternative('<p>See below.</p><img src="cid:pic1@northside">', subtype="html")
    html = message.get_payload()[1]
    html.add_related(image, maintype="image", subtype="png", cid="<pic1@northside>")
    for filename, data in extra or []:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return crlf(bytes(message))


def rows(services: Services) -> list[AliasInvoice]:
    with services.sessions() as session:
        return list(session.scalars(select(AliasInvoice).order_by(AliasInvoice.attachment_index)))


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("JPEG", "image/jpeg", "jpg"),
        ("PNG", "image/png", "png"),
        ("WEBP", "image/webp", "webp"),
        ("TIFF", "image/tiff", "tiff"),
    ],
)
def test_a_mail_with_only_a_photo_is_a_received_document(
    fmt: str, content_type: str, extension: str, services: Services, smtp_port: int
) -> None:
    make_alias(services)
    picture = photo(fmt=fmt)
    # Labelled as an octet stream on purpose: the bytes decide what it is.
    message = mail_with(("IMG_2041", picture, "application", "octet-stream"))
    send(smtp_port, message, ["jane.doe@casapay.me"])
    (row,) = rows(services)
    assert (row.status, row.error_code, row.content_type) == ("received", None, content_type)
    assert row.pdf_blob_key is not None and row.pdf_blob_key.endswith(f".{extension}")
    assert services.blobs.get(row.pdf_blob_key) == picture
    assert row.pdf_filename == "IMG_2041"


def test_heic_is_recognised_by_its_brand() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert image_type(heic) == "image/heic"
    assert image_type(b"\x00\x00\x00\x18ftypavif") is None  # AVIF is not read by the engine
    assert image_type(b"%PDF-1.7") is None


def test_pixel_size_is_read_from_png_and_jpeg_headers() -> None:
    assert pixel_size(logo()) == (160, 48)
    assert pixel_size(photo(640, 480)) == (640, 480)


def test_a_pdf_wins_over_pictures_beside_it() -> None:
    message = mail_with(
        ("rent.pdf", invoice_pdf(), "application", "pdf"),
        ("photo.jpg", photo(), "image", "jpeg"),
    )
    parsed = parse_mail(bytes(message))
    assert [(d.filename, d.content_type) for d in parsed.documents] == [
        ("rent.pdf", "application/pdf")
    ]


def test_a_signature_logo_is_not_an_invoice(services: Services, smtp_port: int) -> None:
    make_alias(services)
    send(smtp_port, html_mail_with_inline(logo()), ["jane.doe@casapay.me"])
    (row,) = rows(services)
    assert (row.status, row.error_code) == ("failed", "no_pdf_attachment")


def test_a_photo_pasted_into_the_body_is_a_document() -> None:
    picture = photo(fmt="PNG")
    parsed = parse_mail(html_mail_with_inline(picture))
    assert [(d.filename, d.content_type) for d in parsed.documents] == [
        ("invoice-1.png", "image/png")
    ]


def test_small_pictures_and_tiny_dimensions_are_decoration() -> None:
    small = mail_with(("pixel.png", logo(), "image", "png"))
    assert parse_mail(bytes(small)).documents == ()
    banner = photo(2000, 120, fmt="PNG")  # heavy but 120 px high: a banner, not a page
    assert len(banner) > 64 * 1024
    assert parse_mail(bytes(mail_with(("banner.png", banner, "image", "png")))).documents == ()


def test_a_label_that_lies_is_not_a_document() -> None:
    message = mail_with(("scan.jpg", b"this is not a picture" * 2000, "image", "jpeg"))
    assert parse_mail(bytes(message)).documents == ()


def test_pdf_url_serves_the_photo_with_its_content_type(
    services: Services, smtp_port: int, api: Api
) -> None:
    make_alias(services)
    picture = photo()
    send(smtp_port, mail_with(("invoice.jpg", picture, "image", "jpeg")), ["jane.doe@casapay.me"])
    (row,) = rows(services)
    url = services.blobs.signed_url(row.pdf_blob_key or "", 60, row.pdf_filename)
    served = api.client.get(httpx.URL(url).raw_path.decode())
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg" and served.content == picture
