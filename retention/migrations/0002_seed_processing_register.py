"""The register of processing activities (RODO art. 30) seeded with what this platform does, in Polish, for the
organisers to check and complete (the controller's details live on the information page "ochrona-danych")."""

from django.db import migrations

SECURITY = (
    "Szyfrowane połączenia (HTTPS, HSTS); hasła przechowywane wyłącznie jako skróty; dwuskładnikowe uwierzytelnianie "
    "obowiązkowe dla jurorów i organizatorów; sesje personelu wygasają po 12 godzinach; ponowne uwierzytelnienie przed "
    "zmianami trudnymi do cofnięcia; jedno miejsce decyzji o dostępie w każdej części serwisu; pliki w prywatnym "
    "magazynie, udostępniane tylko po sprawdzeniu uprawnień; dziennik zdarzeń z łańcuchem skrótów SHA-256, bez danych "
    "osobowych; jurorzy widzą wnioski bez danych identyfikujących; kopie zapasowe bazy danych; umowy powierzenia z "
    "dostawcami hostingu i poczty."
)

ACTIVITIES = [
    {
        "order": 10,
        "name": "Konta użytkowników serwisu konkursu",
        "purpose": "Założenie i prowadzenie konta, logowanie, zabezpieczenie dostępu, kontakt w sprawie konta.",
        "legal_basis": "Art. 6 ust. 1 lit. b i f RODO.",
        "data_subjects": "Osoby zakładające konto: przedstawiciele wnioskodawców (koordynatorzy i współredaktorzy "
        "wniosków), członkowie Komisji Konkursowej, organizatorzy.",
        "data_categories": "Adres e-mail, imię i nazwisko, numer telefonu, skrót hasła, dane drugiego składnika "
        "uwierzytelniania, daty logowania, zapisy zapoznania się z klauzulą informacyjną (wersja i treść).",
        "recipients": "Dostawcy hostingu, przechowywania plików i poczty elektronicznej (podmioty przetwarzające).",
        "transfers": "Brak.",
        "retention": "Do czasu anonimizacji konta na żądanie osoby; dane potrzebne do udokumentowania edycji – przez "
        "okres przechowywania określony dla tej edycji.",
        "security_measures": SECURITY,
    },
    {
        "order": 20,
        "name": "Nabór i ocena formalna wniosków",
        "purpose": "Przyjmowanie wniosków konkursowych z załącznikami, ocena formalna, wezwania do uzupełnień, "
        "kontakt z wnioskodawcami, rozliczenie konkursu.",
        "legal_basis": "Art. 6 ust. 1 lit. b, c i f RODO.",
        "data_subjects": "Osoby kontaktowe wnioskodawców, osoby wymienione we wnioskach i załącznikach, "
        "współredaktorzy wniosków.",
        "data_categories": "Imię i nazwisko, stanowisko, adres e-mail i numer telefonu osoby kontaktowej; dane "
        "zawarte w treści wniosku i załącznikach (np. podpisy, nazwiska przedstawicieli partnerów).",
        "recipients": "Organizatorzy konkursu; podmioty przetwarzające (hosting, przechowywanie plików, poczta); "
        "organy kontrolujące wydatkowanie środków publicznych.",
        "transfers": "Brak.",
        "retention": "Wersje robocze, których nie złożono: usuwane z plikami po upływie okresu ustawionego dla "
        "edycji (domyślnie 3 miesiące od terminu składania wniosków). Dane kontaktowe wniosków "
        "nienagrodzonych: anonimizowane po okresie wymaganym przez program finansowania (domyślnie 5 lat od końca "
        "roku edycji). Dane laureatów i wyróżnionych opublikowane za zgodą pozostają opublikowane.",
        "security_measures": SECURITY,
    },
    {
        "order": 30,
        "name": "Prace Komisji Konkursowej",
        "purpose": "Zaproszenie członków komisji, oświadczenia o bezstronności, wykrywanie konfliktów interesów, "
        "ocena merytoryczna, ranking, rozstrzygnięcia i protokół.",
        "legal_basis": "Art. 6 ust. 1 lit. b i f RODO.",
        "data_subjects": "Członkowie Komisji Konkursowej (jurorzy, osoba przewodnicząca komisji).",
        "data_categories": "Imię i nazwisko, adres e-mail, afiliacje (jednostki samorządu, NIP, REGON, KRS, nazwy "
        "organizacji), oświadczenia o bezstronności, karty oceny z uzasadnieniami.",
        "recipients": "Organizatorzy konkursu; podmioty przetwarzające (hosting, poczta).",
        "transfers": "Brak.",
        "retention": "Przez okres przechowywania dokumentacji edycji (domyślnie 5 lat od końca roku edycji); "
        "karty oceny i migawki rankingu odnoszą się do kont wyłącznie przez identyfikatory.",
        "security_measures": SECURITY,
    },
    {
        "order": 40,
        "name": "Publikacja wyników i dobrych praktyk",
        "purpose": "Ogłoszenie laureatów i wyróżnień oraz prezentacja nagrodzonych projektów jako dobrych praktyk.",
        "legal_basis": "Art. 6 ust. 1 lit. a i f RODO (zgoda na publikację złożona we wniosku).",
        "data_subjects": "Osoby widoczne w opublikowanych materiałach nagrodzonych wniosków (np. na zdjęciach).",
        "data_categories": "Wizerunek i dane zawarte w materiałach oznaczonych do publikacji; publikowane kopie "
        "nie zawierają metadanych plików.",
        "recipients": "Odbiorcy publicznych stron konkursu (dane publiczne).",
        "transfers": "Brak.",
        "retention": "Bezterminowo jako archiwum konkursu, do czasu wycofania zgody.",
        "security_measures": SECURITY,
    },
    {
        "order": 50,
        "name": "Powiadomienia e-mail o konkursie",
        "purpose": "Wysyłanie zamówionych powiadomień: nowy nabór, zbliżający się termin, wyniki.",
        "legal_basis": "Art. 6 ust. 1 lit. a RODO (zgoda).",
        "data_subjects": "Osoby, które zamówiły powiadomienia.",
        "data_categories": "Adres e-mail, treść i wersja zgody, daty potwierdzenia i rezygnacji.",
        "recipients": "Dostawca poczty elektronicznej (podmiot przetwarzający).",
        "transfers": "Brak.",
        "retention": "Do wycofania zgody; niepotwierdzone zgłoszenia usuwane po 14 dniach.",
        "security_measures": SECURITY,
    },
    {
        "order": 60,
        "name": "Dziennik zdarzeń i bezpieczeństwo serwisu",
        "purpose": "Rozliczalność zmian w konkursie, wykrywanie nadużyć, ograniczanie liczby prób logowania.",
        "legal_basis": "Art. 6 ust. 1 lit. c i f RODO.",
        "data_subjects": "Użytkownicy serwisu.",
        "data_categories": "Identyfikatory kont (bez adresów e-mail i nazwisk), rodzaj i czas zdarzenia; adresy IP "
        "w pamięci podręcznej limitów logowania.",
        "recipients": "Organizatorzy konkursu; organy kontrolujące.",
        "transfers": "Brak.",
        "retention": "Dziennik zdarzeń: przez okres przechowywania dokumentacji edycji; limity logowania: minuty.",
        "security_measures": SECURITY,
    },
]


def seed(apps, schema_editor):
    ProcessingActivity = apps.get_model("retention", "ProcessingActivity")
    for activity in ACTIVITIES:
        ProcessingActivity.objects.get_or_create(name=activity["name"], defaults=activity)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_retention_policy_and_register")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
