"""The e-mails organisers may rewrite per edition: their kinds, the placeholders each understands, the default text
(the same words as the file templates in templates/<app>/email/) and sample values for the preview."""

import datetime
import zoneinfo

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .placeholders import Placeholder

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


class Kind(models.TextChoices):
    RECEIPT = "receipt", _("Submission receipt")
    CORRECTIONS = "corrections", _("Request for corrections")
    OUTCOME = "outcome", _("Outcome")
    JUROR_INVITATION = "juror_invitation", _("Juror invitation")
    REMINDER = "reminder", _("Reminder to jurors")


EDITION = Placeholder("edition", "edycja", _("the edition's name, e.g. “Edition 17 (2027)”"))
CODE = Placeholder("code", "kod", _("the application's code"))
TITLE = Placeholder("title", "tytul", _("the application's title"))
APPLICATION_LINK = Placeholder("link", "link", _("the address of the application"))

PLACEHOLDERS = {
    Kind.RECEIPT: (
        CODE,
        TITLE,
        EDITION,
        Placeholder("submitted_at", "data_zlozenia", _("when the application was received (Warsaw time)")),
        APPLICATION_LINK,
    ),
    Kind.CORRECTIONS: (
        CODE,
        TITLE,
        EDITION,
        Placeholder("corrections_note", "uwagi", _("what the organiser asks to correct")),
        Placeholder("corrections_deadline", "termin_uzupelnien", _("the deadline for corrections (Warsaw time)")),
        APPLICATION_LINK,
    ),
    Kind.OUTCOME: (
        CODE,
        TITLE,
        EDITION,
        Placeholder("outcome", "wynik", _("the outcome: laureate, distinction or not awarded")),
        Placeholder("outcome_message", "komunikat", _("the sentence congratulating or thanking for the outcome")),
        Placeholder("citation", "uzasadnienie", _("the committee's citation (may be empty)")),
        APPLICATION_LINK,
    ),
    Kind.JUROR_INVITATION: (
        EDITION,
        Placeholder("link", "link", _("the personal link accepting the invitation"), body_only=True),
        Placeholder("expires_at", "wazne_do", _("until when the link is valid (Warsaw time)")),
    ),
    Kind.REMINDER: (
        EDITION,
        Placeholder("entries_left", "pozostalo", _("how many entries this juror has still to score")),
        Placeholder("scoring_ends_at", "koniec_oceny", _("when scoring closes (Warsaw time)")),
        Placeholder("link", "link", _("the address of the juror's entries")),
    ),
}

# Placeholders of a message organisers write to the applicants of a list.
MESSAGE_PLACEHOLDERS = (CODE, TITLE, EDITION, APPLICATION_LINK)

# The file template each kind replaces (for the sent-mail log).
FILE_TEMPLATES = {
    Kind.RECEIPT: "applications/email/status",
    Kind.CORRECTIONS: "applications/email/status",
    Kind.OUTCOME: "applications/email/status",
    Kind.JUROR_INVITATION: "jury/email/invitation",
    Kind.REMINDER: "jury/email/reminder",
}

# (subject, body) per kind and language: the file templates' words with placeholders.
DEFAULTS = {
    Kind.RECEIPT: {
        "pl": (
            "Wniosek {{ kod }} został złożony",
            "Wniosek: {{ tytul }}\nKod: {{ kod }}\nNowy status: złożony\n\n"
            "Otrzymaliśmy Twój wniosek {{ data_zlozenia }} (czasu warszawskiego). W załączniku przesyłamy "
            "potwierdzenie z listą złożonych plików i ich sumami kontrolnymi.\n\n"
            "Zobacz wniosek: {{ link }}\n",
        ),
        "en": (
            "Application {{ code }} submitted",
            "Application: {{ title }}\nCode: {{ code }}\nNew status: submitted\n\n"
            "We received your application on {{ submitted_at }} (Warsaw time). The receipt with the list of "
            "submitted files and their checksums is attached.\n\n"
            "See the application: {{ link }}\n",
        ),
    },
    Kind.CORRECTIONS: {
        "pl": (
            "Wniosek {{ kod }}: do uzupełnienia",
            "Wniosek: {{ tytul }}\nKod: {{ kod }}\nNowy status: do uzupełnienia\n\n"
            "Organizator prosi o poprawki:\n{{ uwagi }}\n\n"
            "Wprowadź poprawki i złóż wniosek ponownie do {{ termin_uzupelnien }} (czasu warszawskiego).\n\n"
            "Zobacz wniosek: {{ link }}\n",
        ),
        "en": (
            "Application {{ code }}: corrections requested",
            "Application: {{ title }}\nCode: {{ code }}\nNew status: corrections requested\n\n"
            "The organiser asks for corrections:\n{{ corrections_note }}\n\n"
            "Make the corrections and submit again by {{ corrections_deadline }} (Warsaw time).\n\n"
            "See the application: {{ link }}\n",
        ),
    },
    Kind.OUTCOME: {
        "pl": (
            "Wniosek {{ kod }}: {{ wynik }}",
            "Wniosek: {{ tytul }}\nKod: {{ kod }}\nNowy status: {{ wynik }}\n\n{{ komunikat }}\n\n"
            "{{ uzasadnienie }}\n\nZobacz wniosek: {{ link }}\n",
        ),
        "en": (
            "Application {{ code }}: {{ outcome }}",
            "Application: {{ title }}\nCode: {{ code }}\nNew status: {{ outcome }}\n\n{{ outcome_message }}\n\n"
            "{{ citation }}\n\nSee the application: {{ link }}\n",
        ),
    },
    Kind.JUROR_INVITATION: {
        "pl": (
            "Zaproszenie do jury",
            "Zapraszamy Cię do Komisji Konkursowej (jury) konkursu Samorządowy Lider Zarządzania: {{ edycja }}.\n\n"
            "Otwórz ten link, aby przyjąć zaproszenie:\n{{ link }}\n\n"
            "Link jest ważny do {{ wazne_do }}. Jeśli nie spodziewano się tej wiadomości, zignoruj ją.\n",
        ),
        "en": (
            "Invitation to the jury",
            "You are invited to the jury (competition committee) of Samorządowy Lider Zarządzania, {{ edition }}.\n\n"
            "Open this link to accept the invitation:\n{{ link }}\n\n"
            "The link is valid until {{ expires_at }}. If you did not expect this message, ignore it.\n",
        ),
    },
    Kind.REMINDER: {
        "pl": (
            "Przypomnienie: trwa ocena wniosków",
            "Samorządowy Lider Zarządzania, {{ edycja }}: wnioski pozostałe do oceny: {{ pozostalo }}. "
            "Ocena zakończy się {{ koniec_oceny }} (według czasu warszawskiego).\n\n"
            "Twoje wnioski: {{ link }}\n",
        ),
        "en": (
            "Reminder: scoring in progress",
            "Samorządowy Lider Zarządzania, {{ edition }}: entries left to score: {{ entries_left }}. "
            "Scoring closes on {{ scoring_ends_at }} (Warsaw time).\n\n"
            "Your entries: {{ link }}\n",
        ),
    },
}


def default(kind, language):
    """(subject, body) of the file template for `kind` in `language` (Polish for any other)."""
    texts = DEFAULTS[Kind(kind)]
    return texts.get(language, texts["pl"])


def moment(value, language):
    """A date and time as e-mails write it, in Warsaw time: "30 stycznia 2027, 23:59"."""
    if value is None:
        return ""
    with override(language):
        return formats.date_format(timezone.localtime(value, WARSAW), "j E Y, H:i")


def sample_values(kind, edition, language):
    """Values for the preview: the edition's own name and dates, made-up application data."""
    from contest.emails import absolute_url

    now = timezone.now()
    with override(language):
        edition_name = str(edition)
        outcome = str(_("laureate"))
        message = str(_("Congratulations: the partnership is a laureate."))
    return {
        "edition": edition_name,
        "code": f"SLZ-{edition.year}-0042",
        "title": "Cyfrowy urząd bliżej mieszkańców" if language == "pl" else "A digital office closer to residents",
        "link": absolute_url("/…/"),
        "submitted_at": moment(now, language),
        "corrections_note": "Brak podpisu na załączniku nr 2." if language == "pl" else "Annex 2 is not signed.",
        "corrections_deadline": moment(now + datetime.timedelta(days=7), language),
        "outcome": outcome,
        "outcome_message": message,
        "citation": "Za spójność działań partnerów." if language == "pl" else "For the partners' joint work.",
        "expires_at": moment(now + datetime.timedelta(days=14), language),
        "entries_left": "3",
        "scoring_ends_at": moment(getattr(edition, "scoring_ends_at", None), language),
    }
