"""The seeded register said scorecards and audit events are kept "for the edition's period", but nothing erases them:
state the time limits the platform keeps. Only rows still holding the seeded text change (the controller's edits stay).
"""

from django.db import migrations

COMMITTEE = "Prace Komisji Konkursowej"
AUDIT = "Dziennik zdarzeń i bezpieczeństwo serwisu"

CHANGES = {
    COMMITTEE: (
        "Przez okres przechowywania dokumentacji edycji (domyślnie 5 lat od końca roku edycji); "
        "karty oceny i migawki rankingu odnoszą się do kont wyłącznie przez identyfikatory.",
        "Imię i nazwisko, adres e-mail i afiliacje: do anonimizacji konta na żądanie osoby (afiliacje są wtedy "
        "usuwane). Karty oceny z uzasadnieniami, oświadczenia o bezstronności i migawki rankingu: bez terminu "
        "usunięcia, jako zapis rozstrzygnięcia konkursu (art. 17 ust. 3 lit. b, d i e RODO); odnoszą się do kont "
        "wyłącznie przez identyfikatory.",
    ),
    AUDIT: (
        "Dziennik zdarzeń: przez okres przechowywania dokumentacji edycji; limity logowania: minuty.",
        "Dziennik zdarzeń: bez terminu usunięcia (wpisy tworzą łańcuch skrótów i nie są zmieniane); zawiera "
        "wyłącznie identyfikatory kont, bez adresów e-mail i nazwisk, więc anonimizacja konta go nie zmienia. "
        "Limity logowania: minuty.",
    ),
}


def forwards(apps, schema_editor):
    ProcessingActivity = apps.get_model("retention", "ProcessingActivity")
    for name, (old, new) in CHANGES.items():
        ProcessingActivity.objects.filter(name=name, retention=old).update(retention=new)


def backwards(apps, schema_editor):
    ProcessingActivity = apps.get_model("retention", "ProcessingActivity")
    for name, (old, new) in CHANGES.items():
        ProcessingActivity.objects.filter(name=name, retention=new).update(retention=old)


class Migration(migrations.Migration):
    dependencies = [("retention", "0003_files_to_delete")]
    operations = [migrations.RunPython(forwards, backwards)]
