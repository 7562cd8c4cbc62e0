"""The PDF receipt of a submission (WeasyPrint): what was submitted, when, with file checksums."""

from django.template.loader import render_to_string
from django.utils import timezone


def receipt_filename(application):
    return f"potwierdzenie-{application.code or application.pk}.pdf"


def receipt_pdf(application):
    from weasyprint import HTML

    from .queries import application_detail

    application = application_detail().get(pk=application.pk)
    html = render_to_string("applications/receipt.html", {"application": application, "generated_at": timezone.now()})
    return HTML(string=html).write_pdf()
